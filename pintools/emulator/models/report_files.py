"""The async report file: rows of the report's level, as JSON ``{entity_id: [rows]}`` or CSV (the
file's layout is not in the spec: :mod:`.report_layouts` serves the other plausible ones on request).

Scope: the account's campaigns, narrowed by the id / status / objective filters (statuses are
summary statuses); product-group filters match nothing at the other levels, and the
PRODUCT_GROUP_TARGETING and PRODUCT_ITEM levels are empty (no product items are emulated).
PRODUCT_GROUP rows are the ``product_groups/analytics`` rows (:mod:`.product_group_analytics`, ids as
its ``analytics_ids`` switch says) of the product group promotions in the ad groups in scope, narrowed
by ``product_group_ids`` and ``product_group_statuses`` (the emulator's reading, the spec is silent:
EXCLUDED = not ``included``, else ARCHIVED / PAUSED as the promotion's status, else RUNNING).
Rows carry ``DATE`` (unless TOTAL), the level's
id columns, then the requested columns:

===========================  =================================================
level                        id columns (JSON key)
===========================  =================================================
ADVERTISER                   ``ADVERTISER_ID``, ``AD_ACCOUNT_ID`` (account id)
CAMPAIGN / AD_GROUP          ``CAMPAIGN_ID`` / ``AD_GROUP_ID``
PIN_PROMOTION                ``PIN_PROMOTION_ID``, ``AD_ID`` (ad id)
KEYWORD                      ``AD_GROUP_ID`` (keyword id: the emulator's guess, see below)
``*_TARGETING``              the base level's ids + ``TARGETING_TYPE``, ``TARGETING_VALUE``
===========================  =================================================

KEYWORD rows split each ad group's delivery across its live positive keywords (weights per
seed, keyword id and day; match type EXACT < PHRASE < BROAD), day by day and exactly: the
keywords of an ad group add up to the ad group's row (ad groups without keywords have no
KEYWORD rows), and each keyword's rows equal its row of the ad group's KEYWORD targeting
analytics (where the targeting values tell keywords apart; else those sum them).
No report column names a keyword (neither spec's ``ReportingColumnAsync`` has ``KEYWORD_ID`` or
the keyword's text), so KEYWORD rows carry only ``AD_GROUP_ID`` and the requested columns; the
JSON key, like the whole file shape, is not in the spec (the emulator keys rows by keyword id).
JSON leaves out zero metrics; CSV zero-fills them; both drop all-zero rows.
HOUR reports hold no data for conversion columns (5.23.0: "The HOUR enum no longer provides data for
conversion metrics"), like sync HOUR rows and under the same switch (``hour_conversions``, see
:mod:`.hour_conversions`): ``"omit"`` leaves them out of rows and of the CSV header, ``"zero"`` keeps
the CSV column, all zeros (JSON leaves zeros out anyway).
``metrics_filters`` then keep the rows whose ``SPEND_IN_DOLLAR`` / ``TOTAL_IMPRESSION`` pass.
Ids are strings in report rows.

Example:
    >>> render({"5": [{"CAMPAIGN_ID": "5", "SPEND_IN_DOLLAR": 1.5}]}, ["CAMPAIGN_ID", "SPEND_IN_DOLLAR"], "CSV")
    b'CAMPAIGN_ID,SPEND_IN_DOLLAR\\r\\n5,1.5\\r\\n'
"""

from __future__ import annotations

import dataclasses

from pintools.emulator.models import analytics_entities as ae
from pintools.emulator.models import report_layouts
from pintools.emulator.models.ads import ad_summary_status
from pintools.emulator.models.analytics import Analytics, query_fields, slot_cells, split_series
from pintools.emulator.models.analytics_rows import build_rows
from pintools.emulator.models.common import summary_status
from pintools.emulator.models.hashing import key64
from pintools.emulator.models.hour_conversions import is_conversion_column
from pintools.emulator.models.periods import periods
from pintools.emulator.models.product_group_analytics import product_group_groups
from pintools.emulator.models.product_groups import TABLE as PROMOTIONS
from pintools.emulator.models.report_request import ReportSpec
from pintools.emulator.models.targeting_values import keyword_records, keyword_weight

BASE_LEVELS = {"ADVERTISER": "ACCOUNT", "CAMPAIGN": "CAMPAIGN", "AD_GROUP": "AD_GROUP", "PIN_PROMOTION": "AD",
               "KEYWORD": "KEYWORD"}
HEAD_COLUMNS = {"ACCOUNT": ("ADVERTISER_ID", "AD_ACCOUNT_ID"), "CAMPAIGN": ("CAMPAIGN_ID",),
                "AD_GROUP": ("AD_GROUP_ID",), "AD": ("PIN_PROMOTION_ID", "AD_ID"),
                "KEYWORD": ("AD_GROUP_ID",)}
PRODUCT_FILTERS = ("product_group_ids", "product_item_ids", "product_group_statuses")
OPERATORS = {"GREATER_THAN": lambda a, b: a > b, "LESS_THAN": lambda a, b: a < b}


def _base_level(level: str) -> str | None:
    return BASE_LEVELS.get(level[: -len("_TARGETING")] if level.endswith("_TARGETING") else level)


def _no_data(spec: ReportSpec) -> set[str]:
    """The requested columns a report holds no data for: conversion columns at HOUR granularity."""
    if spec.query.granularity != "HOUR":
        return set()
    return {c for c in spec.query.columns if is_conversion_column(c)}


def header(spec: ReportSpec, hour_conversions: str = "omit") -> list[str]:
    """CSV header: DATE (unless TOTAL), the level's id columns, targeting columns, the columns
    (at HOUR, conversion columns only when ``hour_conversions`` is ``"zero"``).

    Example:
        >>> from datetime import date
        >>> from pintools.emulator.models.report_request import parse_report_request
        >>> spec = parse_report_request({"start_date": "2024-05-30", "end_date": "2024-05-31", "granularity": "HOUR",
        ...                              "columns": ["SPEND_IN_DOLLAR", "TOTAL_CHECKOUT"], "level": "CAMPAIGN"},
        ...                             date(2024, 6, 1))
        >>> header(spec), header(spec, "zero")[-1]
        (['DATE', 'CAMPAIGN_ID', 'SPEND_IN_DOLLAR'], 'TOTAL_CHECKOUT')
    """
    base = _base_level(spec.level)
    cols = ["DATE"] if spec.query.granularity != "TOTAL" else []
    product = ("PRODUCT_GROUP_ID",) if "PRODUCT_GROUP" in spec.level else ("PRODUCT_ITEM_ID",)
    cols += list(HEAD_COLUMNS.get(base, product))
    if spec.level.endswith("_TARGETING"):
        cols += ["TARGETING_TYPE", "TARGETING_VALUE"]
    dropped = _no_data(spec) if hour_conversions == "omit" else set()
    return list(dict.fromkeys(cols + [c for c in spec.query.columns if c not in dropped]))


def scoped_ads(store, account_id: str, filters: dict, now: int) -> list[dict]:
    """The ads a report covers after its filters (records, campaign/ad group/ad order)."""
    if any(filters.get(name) for name in PRODUCT_FILTERS):
        return []
    f = {k: set(v) for k, v in filters.items() if v}
    ads = []
    for campaign_id in store.children("campaigns", account_id):
        campaign = store.campaigns[campaign_id]
        if ("campaign_ids" in f and campaign_id not in f["campaign_ids"]
                or "campaign_statuses" in f and summary_status(campaign, now) not in f["campaign_statuses"]
                or "campaign_objective_types" in f and campaign["objective_type"] not in f["campaign_objective_types"]):
            continue
        for group_id in store.children("ad_groups_of_campaign", campaign_id):
            group = store.ad_groups[group_id]
            if ("ad_group_ids" in f and group_id not in f["ad_group_ids"]
                    or "ad_group_statuses" in f and summary_status(group, now) not in f["ad_group_statuses"]):
                continue
            for ad_id in store.children("ads_of_ad_group", group_id):
                ad = store.ads[ad_id]
                if ("ad_ids" in f and ad_id not in f["ad_ids"]
                        or "ad_statuses" in f and ad_summary_status(ad) not in f["ad_statuses"]):
                    continue
                ads.append(ad)
    return ads


def _entities(store, account_id: str, level: str, ads: list[dict], now: int) -> list[ae.Entity]:
    """Entities of a level made of the in-scope ads only."""
    if level == "ACCOUNT":
        if not ads:
            return []
        groups = list({a["ad_group_id"]: store.ad_groups[a["ad_group_id"]] for a in ads}.values())
        return [ae.Entity(account_id, [a["id"] for a in ads], groups, ae.account_attrs(account_id))]
    key = {"CAMPAIGN": "campaign_id", "AD_GROUP": "ad_group_id", "KEYWORD": "ad_group_id", "AD": "id"}[level]
    members: dict[str, list[dict]] = {}
    for ad in ads:
        members.setdefault(ad[key], []).append(ad)
    out = []
    for entity_id, entity_ads in members.items():
        if level == "CAMPAIGN":
            groups = list({a["ad_group_id"]: store.ad_groups[a["ad_group_id"]] for a in entity_ads}.values())
            attrs = ae.campaign_attrs(store.campaigns[entity_id], now)
        elif level == "AD":
            groups = [store.ad_groups[entity_ads[0]["ad_group_id"]]]
            attrs = ae.ad_attrs(store, entity_ads[0], now)
        else:
            groups = [store.ad_groups[entity_id]]
            attrs = ae.ad_group_attrs(store, groups[0], now)
        out.append(ae.Entity(entity_id, [a["id"] for a in entity_ads], groups, attrs))
    return out


def product_group_status(promotion: dict) -> str:
    """A promotion's ``ProductGroupSummaryStatus`` for report filters (the emulator's reading).

    Example:
        >>> product_group_status({"included": False, "status": "ACTIVE"}), product_group_status({"status": "PAUSED"})
        ('EXCLUDED', 'PAUSED')
    """
    if promotion.get("included") is False:
        return "EXCLUDED"
    return promotion.get("status") if promotion.get("status") in ("ARCHIVED", "PAUSED") else "RUNNING"


def _product_group_report(analytics: Analytics, account_id: str, spec: ReportSpec, columns: list[str], now: int,
                          style: str, id_kind: str) -> dict[str, list[dict]]:
    store = analytics.store
    others = {k: v for k, v in spec.filters.items() if k not in PRODUCT_FILTERS}
    groups = {ad["ad_group_id"] for ad in scoped_ads(store, account_id, others, now)}
    wanted = set(spec.filters.get("product_group_ids") or ())
    statuses = set(spec.filters.get("product_group_statuses") or ())
    key = "id" if id_kind == "promotion" else "catalog_product_group_id"
    ids = [p[key] for p in store.tables[PROMOTIONS].values()
           if p["_ad_account_id"] == account_id and p["ad_group_id"] in groups
           and (not wanted or p[key] in wanted) and (not statuses or product_group_status(p) in statuses)]
    query = dataclasses.replace(spec.query, columns=tuple(columns))
    return product_group_groups(analytics, account_id, list(dict.fromkeys(ids)), query, now, id_kind, style)


def _passes(row: dict, metrics_filters) -> bool:
    for field, operator, values in metrics_filters:
        value = row.get(field, 0) or 0
        if not all(OPERATORS[operator](value, v) for v in values):
            return False
    return True


def _entity_report(analytics: Analytics, account_id: str, spec: ReportSpec, base: str, columns: list[str],
                   now: int, style: str) -> dict[str, list[dict]]:
    """``{entity id: [rows]}`` of the campaign-tree levels (targeting and KEYWORD included)."""
    store, query = analytics.store, spec.query
    ads = scoped_ads(store, account_id, spec.filters, now)
    entities = _entities(store, account_id, "AD_GROUP" if base == "KEYWORD" else base, ads, now)
    fields = query_fields(columns)
    series = analytics.entity_series([e.ads for e in entities], query, fields, now)
    per = periods(query.start, query.end, query.granularity)
    cells = slot_cells(query)
    out: dict[str, list[dict]] = {}
    for i, entity in enumerate(entities):
        row_series = {f: v[i: i + 1] for f, v in series.items()}
        if base == "KEYWORD":
            keywords = keyword_records(store, entity.ad_groups)
            if not keywords:
                continue
            split = split_series({f: v[0] for f, v in row_series.items()},
                                 [key64(analytics.seed, k["id"]) for k in keywords],
                                 [keyword_weight(analytics.seed, k) for k in keywords], cells)
            heads = [{"AD_GROUP_ID": entity.id} for _ in keywords]
            groups = build_rows(heads, [entity.attrs] * len(keywords), per, analytics.env(split, per), columns, style)
            for keyword, rows in zip(keywords, groups, strict=True):
                out[keyword["id"]] = rows
            continue
        if spec.targeting_types:
            head = {name: entity.id for name in HEAD_COLUMNS[base]}
            flat = {f: v[0] for f, v in row_series.items()}
            out[entity.id] = [row for ttype in spec.targeting_types
                              for _, value_rows in analytics.breakdown_rows(entity, flat, ttype, query, per, cells,
                                                                            head, style, columns)
                              for row in value_rows]
    if base != "KEYWORD" and not spec.targeting_types:
        heads = [{name: e.id for name in HEAD_COLUMNS[base]} for e in entities]
        groups = build_rows(heads, [e.attrs for e in entities], per, analytics.env(series, per), columns, style)
        out = {e.id: rows for e, rows in zip(entities, groups, strict=True)}
    return out


def report_groups(analytics: Analytics, account_id: str, spec: ReportSpec, now: int,
                  id_kind: str = "promotion") -> dict[str, list[dict]]:
    """``{entity id: [rows]}`` of a report, as of Unix time ``now`` (entities without rows left out;
    ``id_kind``: what PRODUCT_GROUP ids name, ``"promotion"`` or ``"catalog"``)."""
    base = _base_level(spec.level)
    if base is None and spec.level != "PRODUCT_GROUP":
        return {}
    query = spec.query
    no_data = _no_data(spec)
    extra = [f for f, _, _ in spec.metrics_filters if f not in query.columns]
    columns = [c for c in query.columns if c not in no_data] + list(dict.fromkeys(extra))
    style = "csv" if spec.report_format == "CSV" else "json"
    zeros = dict.fromkeys(no_data, 0) if style == "csv" and analytics.behaviour["hour_conversions"] == "zero" else {}
    if base is None:
        out = _product_group_report(analytics, account_id, spec, columns, now, style, id_kind)
    else:
        out = _entity_report(analytics, account_id, spec, base, columns, now, style)
    for key in list(out):
        rows = [r for r in out[key] if _passes(r, spec.metrics_filters)]
        for row in rows:
            for name in extra:
                row.pop(name, None)
            row.update(zeros)
        if rows:
            out[key] = rows
        else:
            del out[key]
    return out


def render(groups: dict[str, list[dict]], columns: list[str], report_format: str, layout: dict | None = None) -> bytes:
    """The file bytes in a layout (:mod:`.report_layouts`; default JSON ``{id: [rows]}``, or CSV with a header row)."""
    return report_layouts.render(groups, columns, report_format, layout)


def build_report(analytics: Analytics, account_id: str, spec: ReportSpec, now: int, layout: dict | None = None,
                 id_kind: str = "promotion") -> bytes:
    """The whole report file of a request, as of Unix time ``now``, in ``layout`` (:mod:`.report_layouts`;
    ``id_kind``: what PRODUCT_GROUP ids name)."""
    columns = header(spec, analytics.behaviour["hour_conversions"])
    return render(report_groups(analytics, account_id, spec, now, id_kind), columns, spec.report_format, layout)
