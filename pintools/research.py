"""Targeting research as DataFrames: audience sizing (reach), related and suggested terms,
delivery metric definitions, ad account countries and interests.

>>> import pintools as pt
>>> pt.read_audience_sizing(acct, {"GENDER": ["female"], "LOCATION": ["US"]})        # doctest: +SKIP
>>> pt.reach_change(acct, {"LOCATION": ["US"]}, {"LOCATION": ["US", "CA"]})           # doctest: +SKIP
>>> pt.read_related_terms(["sofa", "rug"]).head()                                     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from .api._common import check_id, check_ids

if TYPE_CHECKING:
    from .client import Client

SIZE_COLUMNS = ("audience_size_lower_bound", "audience_size_upper_bound", "audience_size_midpoint")


def _client(client: "Client | None") -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


def _specs(targeting_spec: Any) -> tuple[pd.Index, list[Mapping[str, Any] | None]]:
    """One spec (a mapping) or many (a list, or a Series such as ``ad_groups["targeting_spec"]``)."""
    if targeting_spec is None or isinstance(targeting_spec, Mapping):
        return pd.RangeIndex(1), [targeting_spec]
    if isinstance(targeting_spec, pd.Series):
        index, values = targeting_spec.index, list(targeting_spec)
    elif isinstance(targeting_spec, Sequence) and not isinstance(targeting_spec, (str, bytes)):
        index, values = pd.RangeIndex(len(targeting_spec)), list(targeting_spec)
    else:
        raise ValueError("targeting_spec must be a mapping such as {'GENDER': ['female'], 'LOCATION': ['US']}, "
                         f"a list of them, or a Series of them; got {type(targeting_spec).__name__}")
    for position, spec in enumerate(values):
        if spec is not None and not isinstance(spec, Mapping):
            raise ValueError(f"targeting spec #{position} is a {type(spec).__name__}, not a mapping "
                             "(use None for 'no targeting')")
    return index, values


def read_audience_sizing(
    ad_account_id: str,
    targeting_spec: Any = None,
    *,
    placement_group: str | None = None,
    auto_targeting_enabled: bool | None = None,
    creative_types: Sequence[str] | None = None,
    keywords: Sequence[Mapping[str, Any]] | None = None,
    client: "Client | None" = None,
) -> pd.DataFrame:
    """Pinterest's monthly reach estimate for one targeting spec, or one per spec.

    ``targeting_spec`` is an ad group's ``TargetingSpec`` (``{"LOCATION": ["US"], "GENDER":
    ["female"]}``), a list of them, or a Series of them (e.g. ``ad_groups.set_index("id")
    ["targeting_spec"]``; its index is kept). One ``ad_groups/audience_sizing`` call per spec.
    Columns: ``audience_size_lower_bound``, ``audience_size_upper_bound`` and their
    ``audience_size_midpoint`` (Int64 people per month), and the ``targeting_spec`` sent.

    >>> pt.read_audience_sizing("549755885175", {"LOCATION": ["US"], "AGE_BUCKET": ["25-34"]})  # doctest: +SKIP
       audience_size_lower_bound  audience_size_upper_bound  audience_size_midpoint        targeting_spec
    0                   20000000                   27000000                23500000  {'LOCATION': ['US'], ...
    """
    c = _client(client)
    account = check_id(ad_account_id, "ad_account_id")
    index, specs = _specs(targeting_spec)
    options = {"placement_group": placement_group, "auto_targeting_enabled": auto_targeting_enabled,
               "creative_types": creative_types, "keywords": keywords}
    answers = [c.resources.audience_sizing(account, None if spec is None else dict(spec), **options) or {}
               for spec in specs]
    low = [_int(a.get("audience_size_lower_bound")) for a in answers]
    high = [_int(a.get("audience_size_upper_bound")) for a in answers]
    mid = [None if lo is None or hi is None else (lo + hi) // 2 for lo, hi in zip(low, high, strict=True)]
    return pd.DataFrame({"audience_size_lower_bound": pd.array(low, dtype="Int64"),
                         "audience_size_upper_bound": pd.array(high, dtype="Int64"),
                         "audience_size_midpoint": pd.array(mid, dtype="Int64"),
                         "targeting_spec": pd.array([None if s is None else dict(s) for s in specs], dtype="object")},
                        index=index)


def _int(value: Any) -> int | None:
    return None if value is None else int(round(float(value)))


def reach_change(ad_account_id: str, before: Any, after: Any, *, client: "Client | None" = None,
                 **options: Any) -> pd.DataFrame:
    """Estimated reach before and after a targeting edit, for a targeting review.

    ``before``/``after`` are targeting specs, lists or Series of them (aligned, e.g. the
    ``before``/``after`` of an edit plan's ``targeting_spec`` rows). Columns: ``reach_before``,
    ``reach_after`` (midpoints, Int64) and ``reach_change`` (after / before − 1, Float64; NA when
    the reach before is 0). ``options`` go to :func:`read_audience_sizing`.

    >>> rows = plan.changes[plan.changes["field"] == "targeting_spec"]                  # doctest: +SKIP
    >>> pt.reach_change(acct, rows["before"], rows["after"])                            # doctest: +SKIP
    """
    old = read_audience_sizing(ad_account_id, before, client=client, **options)
    new = read_audience_sizing(ad_account_id, after, client=client, **options)
    if len(old) != len(new):
        raise ValueError(f"before has {len(old)} targeting specs and after {len(new)}; give one of each per row")
    ratio = pd.array([pd.NA if pd.isna(x) or pd.isna(y) or x == 0 else float(y) / float(x) - 1.0
                      for x, y in zip(old["audience_size_midpoint"], new["audience_size_midpoint"], strict=True)],
                     dtype="Float64")
    return pd.DataFrame({"reach_before": old["audience_size_midpoint"].array,
                         "reach_after": new["audience_size_midpoint"].array, "reach_change": ratio},
                        index=old.index)


def read_related_terms(terms: Sequence[str] | str, *, client: "Client | None" = None) -> pd.DataFrame:
    """Terms related to each given term, one row per (term, related term), in Pinterest's order.

    Columns: ``term``, ``rank`` (Int64, 1 = first), ``related_term``. ``attrs["related_term_count"]``
    is Pinterest's total. Terms may not contain commas (the API joins them with commas).

    >>> pt.read_related_terms(["velvet sofa", "jute rug"]).groupby("term").size()       # doctest: +SKIP
    """
    data = _client(client).resources.related_terms(terms) or {}
    rows = [(str(entry.get("term")), rank, str(related))
            for entry in data.get("related_terms_list") or []
            for rank, related in enumerate(entry.get("related_terms") or [], start=1)]
    frame = pd.DataFrame({"term": pd.array([r[0] for r in rows], dtype="string"),
                          "rank": pd.array([r[1] for r in rows], dtype="Int64"),
                          "related_term": pd.array([r[2] for r in rows], dtype="string")})
    frame.attrs.update({"id": data.get("id"), "related_term_count": data.get("related_term_count")})
    return frame


def read_suggested_terms(term: str, *, limit: int | None = None, client: "Client | None" = None) -> pd.DataFrame:
    """Pinterest's suggested terms for one term: ``term``, ``rank`` (Int64), ``suggested_term``.

    ``limit`` is 1..10 (Pinterest's range; its default is 4).

    >>> pt.read_suggested_terms("velvet sofa", limit=10)["suggested_term"].tolist()     # doctest: +SKIP
    """
    found = _client(client).resources.suggested_terms(term, limit=limit) or []
    return pd.DataFrame({"term": pd.array([term.strip()] * len(found), dtype="string"),
                         "rank": pd.array(range(1, len(found) + 1), dtype="Int64"),
                         "suggested_term": pd.array([str(s) for s in found], dtype="string")})


def read_delivery_metrics(report_type: str | None = None, *, client: "Client | None" = None) -> pd.DataFrame:
    """Pinterest's definitions of the analytics columns: ``name``, ``display_name`` (as Ads Manager
    shows it; NA where Pinterest gives none), ``definition``, ``category`` (ADS or ORGANIC).
    ``report_type`` ``"SYNC"`` or ``"ASYNC"`` limits them to one kind of report.

    >>> pt.read_delivery_metrics("SYNC").set_index("name").loc["SPEND_IN_MICRO_DOLLAR"]  # doctest: +SKIP
    """
    items = (_client(client).resources.delivery_metrics(report_type) or {}).get("items") or []
    return pd.DataFrame({column: pd.array([i.get(column) for i in items], dtype="string")
                         for column in ("name", "display_name", "definition", "category")})


def read_ad_account_countries(*, client: "Client | None" = None) -> pd.DataFrame:
    """The countries an ad account can be set to: ``code``, ``name``, ``currency_name`` (Pinterest's
    word, e.g. "Dollars", not an ISO code) and ``index`` (Int64, Pinterest's numbering).

    >>> pt.read_ad_account_countries().query("code == 'GB'")                         # doctest: +SKIP
    """
    items = (_client(client).resources.ad_account_countries() or {}).get("items") or []
    return pd.DataFrame({"code": pd.array([i.get("code") for i in items], dtype="string"),
                         "name": pd.array([i.get("name") for i in items], dtype="string"),
                         "currency_name": pd.array([i.get("currency") for i in items], dtype="string"),
                         "index": pd.array([_int(i.get("index")) for i in items], dtype="Int64")})


def read_interests(interest_ids: Sequence[str] | str, *, client: "Client | None" = None) -> pd.DataFrame:
    """Interest targeting options by id (``interest_targeting_options/get``, one call each):
    ``id`` (text), ``name``, ``level`` (Int64; 1 = top level) and ``child_interests`` (list of ids).
    All interest ids and labels come from ``pt.read_targeting_options("INTEREST")``.

    >>> pt.read_interests(["935249274030"]).explode("child_interests")               # doctest: +SKIP
    """
    c = _client(client)
    found = [c.resources.interest(i) or {} for i in check_ids(interest_ids, "interest_ids") or []]
    return pd.DataFrame({"id": pd.array([None if f.get("id") is None else str(f["id"]) for f in found],
                                        dtype="string"),
                         "name": pd.array([f.get("name") for f in found], dtype="string"),
                         "level": pd.array([_int(f.get("level")) for f in found], dtype="Int64"),
                         "child_interests": pd.array([[str(x) for x in f.get("child_interests") or []]
                                                      for f in found], dtype="object")})
