"""Pinterest's analytics column names (v5.23.0) and what kind of value each holds.

The names are a fact list kept by the project (:mod:`pintools.analytics.column_names`, checked
against the OpenAPI spec): the 175 columns the sync analytics endpoints accept, and the 613 that
async reports accept (all but one sync column, and 439 more). ``kind_of`` says how a column is
typed in frames:

* ``id`` → ``string``; ``str`` → ``string`` (names, statuses);
* ``micro`` → exact ``Int64`` micro-currency (additive: spend, conversion values, caps);
* ``micro_rate`` → ``Float64`` micro-currency ratios (CPC, CPM, … in micro units);
* ``money`` → ``Float64`` currency units (``*_IN_DOLLAR``);
* ``float`` → ``Float64`` ratios and rates (CTR, ROAS, cost per action, …);
* ``int`` → ``Int64`` counts (impressions, clicks, conversions, …).

``*_DOLLAR`` columns are in the advertiser's currency, whatever the name says. ``check_columns``
also takes friendly names (``spend``, ``"Pin clicks"``: :mod:`pintools.analytics.metric_names`).

>>> kind_of("SPEND_IN_MICRO_DOLLAR"), kind_of("CTR"), kind_of("TOTAL_CLICKTHROUGH")
('micro', 'float', 'int')
>>> len(SYNC_COLUMNS), len(ASYNC_COLUMNS)
(175, 613)
"""

from __future__ import annotations

import difflib

from .column_names import ALL_COLUMNS, ASYNC_COLUMNS, ASYNC_ONLY_COLUMNS, SYNC_COLUMNS, SYNC_ONLY_COLUMNS
from .metric_names import ALIASES, name_key, plain_key
from .windows import SYNC, SYNC_HOUR

_SYNC = frozenset(SYNC_COLUMNS)
_ASYNC = frozenset(ASYNC_COLUMNS)
_ALL = frozenset(ALL_COLUMNS)
__all__ = ["SYNC_COLUMNS", "ASYNC_COLUMNS", "ASYNC_ONLY_COLUMNS", "SYNC_ONLY_COLUMNS", "ALL_COLUMNS", "kind_of",
           "resolve_column", "check_columns"]

ID_COLUMNS = frozenset({"PIN_ID", "CAMPAIGN_ID", "ADVERTISER_ID", "AD_ACCOUNT_ID", "PIN_PROMOTION_ID", "AD_ID",
                        "AD_GROUP_ID", "PRODUCT_GROUP_ID", "ORDER_LINE_ID", "STANDARD_AD_FEED_ITEM_ID", "PROMO_ID"})
TEXT_COLUMNS = frozenset({"CAMPAIGN_NAME", "CAMPAIGN_STATUS", "PIN_PROMOTION_STATUS", "AD_STATUS",
                          "CAMPAIGN_ENTITY_STATUS", "CAMPAIGN_MANAGED_STATUS", "CAMPAIGN_OBJECTIVE_TYPE",
                          "AD_GROUP_NAME", "AD_GROUP_STATUS", "AD_GROUP_ENTITY_STATUS", "PRODUCT_GROUP_STATUS",
                          "ORDER_LINE_NAME", "PIN_PROMOTION_NAME", "AD_NAME", "KEYWORD",
                          # 5.23.0 (the spec gives no types: flags stay text, "True"/"False" or whatever comes)
                          "CAMPAIGN_BRAND_LABEL", "CAMPAIGN_CUSTOM_LABELS", "AD_GROUP_BUDGET_TYPE",
                          "AD_GROUP_OPTIMIZATION", "CAMPAIGN_BUDGET_OPTIMIZATION", "IS_PREMIERE_CAMPAIGN",
                          "PROMO_NAME", "PRODUCT_GROUP_AD_IMAGE_TAG", "PRODUCT_GROUP_AD_VIDEO_TAG",
                          "PRODUCT_ITEM_CURRENCY"})
_TEXT_PREFIXES = ("PRODUCT_ITEM_",)  # names, URLs, brand, description, type, category
_FLOAT_COLUMNS = frozenset({"PRODUCT_ITEM_PRICE", "PRODUCT_ITEM_SALE_PRICE", "AD_GROUP_BID_MULTIPLIER"})
_MICRO_RATE_PREFIXES = ("CPC_", "ECPC_", "CPM_", "ECPM_", "CPV_", "CPCV_", "ECPE_", "ECPV_", "ECPCV_")
_FLOAT_MARKERS = ("CTR", "RATE", "ROAS", "COST_PER", "FREQUENCY", "AVG", "LENGTH", "PER_SESSION")


def kind_of(column: str) -> str:
    """The value kind of an analytics column (see the module docstring)."""
    if column in ID_COLUMNS:
        return "id"
    if column in TEXT_COLUMNS:
        return "str"
    if column in _FLOAT_COLUMNS:
        return "float"
    if column.startswith(_TEXT_PREFIXES):
        return "str"
    if column == "AD_GROUP_BUDGET_IN_LOCAL_CURRENCY":
        return "money"
    if column.endswith("_IN_MICRO_DOLLAR"):
        return "micro_rate" if column.startswith(_MICRO_RATE_PREFIXES) else "micro"
    if column in ("CAMPAIGN_LIFETIME_SPEND_CAP", "CAMPAIGN_DAILY_SPEND_CAP"):
        return "micro"
    if "_IN_DOLLAR" in column:
        return "money"
    if any(marker in column for marker in _FLOAT_MARKERS):
        return "float"
    return "int"


def _lookup(name: object) -> str | None:
    """The Pinterest column a name means (see :func:`resolve_column`), or ``None``."""
    key = plain_key(str(name))
    if key in _ALL:
        return key
    singular = name_key(str(name))
    return _ALIAS_KEYS.get(singular) or _SINGULAR.get(singular) or _SINGULAR.get("TOTAL_" + singular)


def resolve_column(name: str) -> str:
    """Pinterest's name for an analytics column given by its own name or a friendly one.

    In order: a column name in any case and with any separators (``spend in dollar``); an alias
    from :mod:`pintools.analytics.metric_names` (``"Pin clicks"``, ``revenue``); a plural of a
    column (``total_conversion``); a ``TOTAL_`` column without its ``TOTAL_`` (``page visits``).

    >>> resolve_column("spend"), resolve_column("Pin clicks"), resolve_column("page_visits")
    ('SPEND_IN_MICRO_DOLLAR', 'TOTAL_CLICKTHROUGH', 'TOTAL_PAGE_VISIT')
    >>> resolve_column("impresions")
    Traceback (most recent call last):
    ...
    ValueError: unknown analytics column 'impresions' (did you mean 'impressions' (TOTAL_IMPRESSION), IMPRESSION_2, IMPRESSION_1?)
    """
    column = _lookup(name)
    if column is None:
        raise ValueError(_unknown(name, report=True))
    return column


def _suggestions(name: object, *, report: bool, n: int = 3) -> list[str]:
    """The nearest columns and aliases, best first: ``'impressions' (TOTAL_IMPRESSION)``, ``IMPRESSION_1``."""
    valid = _ASYNC if report else _SYNC
    labels = {key: (column, None) for key, column in _SINGULAR.items() if column in valid}
    labels.update({name_key(alias): (column, alias) for alias, column in ALIASES.items() if column in valid})
    out: dict[str, str] = {}
    for key in difflib.get_close_matches(name_key(str(name)), list(labels), n=3 * n, cutoff=0.6):
        column, alias = labels[key]
        out.setdefault(column, f"{alias!r} ({column})" if alias else column)
    return list(out.values())[:n]


def _unknown(name: object, *, report: bool) -> str:
    close = _suggestions(name, report=report)
    return f"unknown analytics column {name!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")


def _async_only(name: object, column: str) -> str:
    shown = repr(name) if str(name) == column else f"{name!r} ({column})"
    close = difflib.get_close_matches(column, SYNC_COLUMNS, n=3, cutoff=0.5)
    days = SYNC.lookback_days
    return (f"{shown} exists only in async reports. read_analytics uses them when start_date is more than {days} "
            f"days before today (UTC), so never hourly (hourly data reaches back {SYNC_HOUR.lookback_days} days); "
            f"targeting analytics, and so level='keyword', never use them: start the range {days + 1} or more days back"
            + (f", or use a sync column: {', '.join(close)}" if close else ""))


def _sync_only(name: object, column: str) -> str:
    shown = repr(name) if str(name) == column else f"{name!r} ({column})"
    return (f"{shown} exists only in sync analytics (Pinterest 5.23.0's async report columns lack it): "
            f"read a range that starts within {SYNC.lookback_days} days of today")


def check_columns(columns: "list[str] | tuple[str, ...]", *, report: bool = False) -> list[str]:
    """Pinterest's names for the given columns (friendly names resolved by :func:`resolve_column`),
    de-duplicated, each valid for sync (or, with ``report``, async) use.

    Every problem is named in one ``ValueError``: unknown names with the closest columns and
    aliases, async-only columns with how to get them.

    >>> check_columns(["spend", "Pin clicks", "ctr", "SPEND_IN_MICRO_DOLLAR"])
    ['SPEND_IN_MICRO_DOLLAR', 'TOTAL_CLICKTHROUGH', 'CTR']
    >>> check_columns(["SPEND_IN_DOLAR"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown analytics column 'SPEND_IN_DOLAR' (did you mean SPEND_IN_DOLLAR, ...
    """
    if isinstance(columns, str):
        columns = [columns]
    valid = _ASYNC if report else _SYNC
    out: dict[str, None] = {}
    problems = []
    for col in columns:
        column = _lookup(col)
        if column in valid:
            out[column] = None
        elif column is not None:
            problems.append(_sync_only(col, column) if report else _async_only(col, column))
        else:
            problems.append(_unknown(col, report=report))
    if problems:
        search = any(p.startswith("unknown") for p in problems)
        raise ValueError("; ".join(problems) + ("; search the catalogue with pintools.analytics.columns('word')"
                                                if search else ""))
    if not out:
        raise ValueError("give at least one analytics column, e.g. SPEND_IN_DOLLAR")
    return list(out)


def _singular_index() -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for column in ALL_COLUMNS:
        found.setdefault(name_key(column), []).append(column)
    return {key: columns[0] for key, columns in found.items() if len(columns) == 1}


_SINGULAR = _singular_index()  # name_key(column) -> column, for plurals and the TOTAL_-less form
_ALIAS_KEYS = {name_key(alias): column for alias, column in ALIASES.items()}
