"""KPIs recomputed from totals: :func:`kpis` sums the counts and money behind each ratio per
group, then divides the sums. A ratio is never summed or averaged across rows.

One name per KPI across pintools (summaries, charts, rules, the dashboard):

- ``impressions`` = Σ ``IMPRESSION_1`` (paid impressions)
- ``clicks`` = Σ ``CLICKTHROUGH_1`` (paid pin clicks)
- ``spend`` = Σ ``SPEND_IN_MICRO_DOLLAR``, in currency units
- ``conversions`` = Σ ``TOTAL_<EVENT>`` of the chosen conversion event (``TOTAL_CHECKOUT``)
- ``conversion_value`` = Σ ``TOTAL_<EVENT>_VALUE_IN_MICRO_DOLLAR``, in currency units
- ``ctr`` = clicks / impressions — a **fraction** (0.012 is 1.2 %), as Pinterest's ``CTR``
- ``cpc`` = spend / clicks (currency units), as Pinterest's ``CPC_IN_MICRO_DOLLAR`` / 10⁶
- ``cpm`` = 1000 × spend / impressions (currency units), as ``CPM_IN_DOLLAR``
- ``cpa`` = spend / conversions (currency units)
- ``roas`` = conversion_value / spend, as ``CHECKOUT_ROAS`` for checkouts
- ``conversion_rate`` = conversions / clicks — a fraction

CPA and ROAS always count the same conversions: ``conversion="checkout"`` (the default) uses
``TOTAL_CHECKOUT`` and ``TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR``; ``"lead"``, ``"signup"``,
``"add_to_cart"``, ``"page_visit"``… pick another event (:data:`CONVERSION_EVENTS`), ``"all"``
every event type (``TOTAL_CONVERSIONS``). Money may come as micros (``SPEND_IN_MICRO_DOLLAR``) or
in units (``SPEND`` after :func:`pintools.in_currency_units`, or ``SPEND_IN_DOLLAR``); micros are
summed exactly before they are converted. Money is only ever added within one currency: the
groups always include ``currency`` when money is involved.

>>> df = pd.DataFrame({"currency": ["EUR"] * 2, "ad_group_id": ["1", "1"],
...                    "SPEND_IN_MICRO_DOLLAR": [2_000_000, 1_000_000], "IMPRESSION_1": [1000, 500],
...                    "CLICKTHROUGH_1": [20, 10], "TOTAL_CHECKOUT": [1, 2],
...                    "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR": [9_000_000, 0]})
>>> kpis(df, by="ad_group_id")[["ad_group_id", "currency", "ctr", "cpc", "cpa", "roas"]].values.tolist()
[['1', 'EUR', 0.02, 0.1, 1.0, 3.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..frames.money import micro_to_units

#: ``conversion=`` names → Pinterest's event in column names (``TOTAL_<EVENT>``, ``TOTAL_<EVENT>_VALUE_IN_MICRO_DOLLAR``)
CONVERSION_EVENTS = {
    "checkout": "CHECKOUT", "add_to_cart": "ADD_TO_CART", "lead": "LEAD", "signup": "SIGNUP",
    "page_visit": "PAGE_VISIT", "custom": "CUSTOM", "search": "SEARCH", "watch_video": "WATCH_VIDEO",
    "view_category": "VIEW_CATEGORY", "app_install": "APP_INSTALL", "all": "CONVERSIONS",
}
TOTALS = ("spend", "impressions", "clicks", "conversions", "conversion_value")
#: every KPI, with the totals it is computed from (numerator, denominator) and a scale
KPIS = {"ctr": ("clicks", "impressions", 1), "cpc": ("spend", "clicks", 1), "cpm": ("spend", "impressions", 1000),
        "cpa": ("spend", "conversions", 1), "roas": ("conversion_value", "spend", 1),
        "conversion_rate": ("conversions", "clicks", 1)}
MONEY = frozenset({"spend", "conversion_value", "cpc", "cpm", "cpa"})
#: Pinterest's ratio columns that are one of the KPIs (same definition, recomputed from totals)
API_KPIS = {"CTR": "ctr", "CPC_IN_MICRO_DOLLAR": "cpc", "CPC": "cpc", "CPM_IN_MICRO_DOLLAR": "cpm",
            "CPM_IN_DOLLAR": "cpm", "CPM": "cpm"}
_RATIO_PREFIXES = ("CPC", "ECPC", "CPM", "ECPM", "CPV", "CPCV", "ECPE", "ECPV", "ECPCV")
_RATIO_MARKERS = ("CTR", "RATE", "ROAS", "COST_PER", "FREQUENCY", "AVG", "LENGTH", "PER_SESSION", "IMPRESSION_USER",
                  "SPEND_CAP")


def conversion_columns(conversion: str = "checkout") -> tuple[str, str]:
    """The count and value columns of a conversion event.

    >>> conversion_columns("lead")
    ('TOTAL_LEAD', 'TOTAL_LEAD_VALUE_IN_MICRO_DOLLAR')
    """
    event = CONVERSION_EVENTS.get(str(conversion).lower())
    if event is None:
        raise ValueError(f"conversion must be one of {', '.join(CONVERSION_EVENTS)}, got {conversion!r}")
    return f"TOTAL_{event}", f"TOTAL_{event}_VALUE_IN_MICRO_DOLLAR"


def kpi_columns(conversion: str = "checkout") -> list[str]:
    """The analytics columns :func:`kpis` reads: ask ``read_analytics`` for these. A value column
    Pinterest's column list lacks is left out (``"page_visit"``: no ``TOTAL_PAGE_VISIT_VALUE_IN_MICRO_DOLLAR``,
    so no ``roas``); an event whose count column it lacks cannot be read and is refused.

    >>> kpi_columns()
    ['SPEND_IN_MICRO_DOLLAR', 'IMPRESSION_1', 'CLICKTHROUGH_1', 'TOTAL_CHECKOUT', 'TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR']
    >>> kpi_columns("page_visit")[-1]
    'TOTAL_PAGE_VISIT'
    """
    from .columns import ASYNC_COLUMNS

    count, value = conversion_columns(conversion)
    if count not in ASYNC_COLUMNS:
        raise ValueError(f"{count} is not among the analytics columns pintools can read, so {conversion!r} "
                         f"conversions cannot be fetched; use one of "
                         f"{', '.join(n for n in CONVERSION_EVENTS if conversion_columns(n)[0] in ASYNC_COLUMNS)}")
    return ["SPEND_IN_MICRO_DOLLAR", "IMPRESSION_1", "CLICKTHROUGH_1", count] + ([value] if value in ASYNC_COLUMNS else [])


KPI_COLUMNS = kpi_columns()


def kpi_of(metric: str) -> tuple[str, str | None] | None:
    """``(kpi, conversion)`` when ``metric`` is a KPI or one of Pinterest's columns for it
    (``CTR``, ``CPM_IN_DOLLAR``, ``CHECKOUT_ROAS``, ``LEAD_COST_PER_ACTION``…), else ``None``.

    >>> kpi_of("CTR"), kpi_of("roas"), kpi_of("PAGE_VISIT_ROAS"), kpi_of("TOTAL_CLICKTHROUGH")
    (('ctr', None), ('roas', None), ('roas', 'page_visit'), None)
    """
    if metric in KPIS:
        return metric, None
    if metric in API_KPIS:
        return API_KPIS[metric], None
    for name, event in CONVERSION_EVENTS.items():
        if metric == f"{event}_ROAS":
            return "roas", name
        if metric == f"{event}_COST_PER_ACTION":
            return "cpa", name
    return None


def is_additive(column: str) -> bool:
    """Whether a numeric analytics column may be summed across rows (counts, spend, conversion
    values) — not ratios, rates, costs per action, averages, reach or caps.

    >>> is_additive("SPEND_IN_MICRO_DOLLAR"), is_additive("TOTAL_CHECKOUT_VALUE"), is_additive("CPM_IN_DOLLAR")
    (True, True, False)
    >>> is_additive("CTR"), is_additive("ctr"), is_additive("TOTAL_IMPRESSION_USER")
    (False, False, False)
    """
    name = str(column)
    if name in KPIS:
        return False
    if name in TOTALS:
        return True
    stem = name.upper()
    first = stem.split("_")[0]
    return first not in _RATIO_PREFIXES and not any(marker in stem for marker in _RATIO_MARKERS)


def _sources(frame: pd.DataFrame, conversion: str) -> dict[str, tuple[str, bool]]:
    """total name → (column to sum, the column holds micros)."""
    count, value = conversion_columns(conversion)
    value_stem = value[: -len("_IN_MICRO_DOLLAR")]
    candidates = {
        "spend": [("SPEND_IN_MICRO_DOLLAR", True), ("SPEND", False), ("SPEND_IN_DOLLAR", False)],
        "impressions": [("IMPRESSION_1", False)],
        "clicks": [("CLICKTHROUGH_1", False)],
        "conversions": [(count, False)],
        "conversion_value": [(value, True), (value_stem, False), (f"{value_stem}_IN_DOLLAR", False)],
    }
    out = {}
    for total, options in candidates.items():
        for column, micro in options:
            if column in frame.columns:
                out[total] = (column, micro)
                break
    return out


def available(frame: pd.DataFrame, conversion: str = "checkout") -> list[str]:
    """The totals and KPIs :func:`kpis` can compute from the frame's columns.

    >>> available(pd.DataFrame(columns=["IMPRESSION_1", "CLICKTHROUGH_1", "TOTAL_CLICKTHROUGH"]))
    ['impressions', 'clicks', 'ctr']
    """
    totals = [t for t in TOTALS if t in _sources(frame, conversion)]
    return totals + [k for k, (num, den, _) in KPIS.items() if num in totals and den in totals]


def kpi_inputs(frame: pd.DataFrame, kpi: str, conversion: str = "checkout") -> list[str]:
    """The frame's columns one KPI is computed from (numerator's, then denominator's).

    >>> kpi_inputs(pd.DataFrame(columns=["SPEND", "CLICKTHROUGH_1", "IMPRESSION_1"]), "cpc")
    ['SPEND', 'CLICKTHROUGH_1']
    """
    sources = _sources(frame, conversion)
    return [sources[total][0] for total in KPIS[kpi][:2] if total in sources]


def _keys(frame: pd.DataFrame, by: "str | Sequence[str] | None", money: bool) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by or [])
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise ValueError(f"no column {', '.join(map(repr, missing))} to group by; the frame has "
                         f"{', '.join(map(str, frame.columns))}")
    if "targeting_type" in frame.columns and "targeting_type" not in keys and frame["targeting_type"].nunique() > 1:
        raise ValueError("the frame has several targeting types, and each one splits the same totals again; group "
                         "by targeting_type (and targeting_value), or filter to one type")
    if money and "currency" not in keys:
        if "currency" not in frame.columns:
            raise ValueError("the frame has money but no currency column, so money of different currencies could "
                             "be added up; read it with pt.read_analytics (which adds currency) or add the column")
        keys.append("currency")
    return keys


def _ratio(num: pd.Series, den: pd.Series, scale: int) -> pd.Series:
    den = den.astype("Float64")
    return num.astype("Float64") * scale / den.mask(den == 0)


def kpis(df: pd.DataFrame, by: "str | Sequence[str] | None" = None, conversion: str = "checkout") -> pd.DataFrame:
    """Totals and KPIs per group of a tidy analytics frame (formulas in the module docstring).

    ``by``: the columns to group by (an entity id and name, ``date``, …; none: one row per
    currency). ``currency`` is always added to the groups when money is involved, so money of
    different currencies is never added up. ``conversion`` picks the event CPA, ROAS and
    conversion rate count (``"checkout"`` by default; see :data:`CONVERSION_EVENTS`).

    Returns the group columns, then those of ``spend, impressions, clicks, conversions,
    conversion_value`` the frame has inputs for, then each KPI whose inputs are there:
    ``ctr, cpc, cpm, cpa, roas, conversion_rate`` (``Float64``; NA where the denominator is 0).
    Read the inputs with ``pt.read_analytics(..., columns=pt.analytics.kpi_columns())``.

    >>> df = pd.DataFrame({"IMPRESSION_1": [900, 100], "CLICKTHROUGH_1": [9, 11]})
    >>> kpis(df)["ctr"].tolist()   # (9 + 11) / (900 + 100), not 0.01 + 0.11
    [0.02]
    """
    sources = _sources(df, conversion)
    if not sources:
        raise ValueError(f"the frame has none of the columns KPIs are computed from ({', '.join(kpi_columns(conversion))})"
                         f"; read them with pt.read_analytics(..., columns=pt.analytics.kpi_columns())")
    keys = _keys(df, by, money=bool({"spend", "conversion_value"} & set(sources)))
    columns = list(dict.fromkeys(column for column, _ in sources.values()))
    if keys:
        grouped = df.groupby(keys, dropna=False, sort=True)[columns].sum(min_count=1).reset_index()
    else:
        grouped = df.assign(_all=0).groupby("_all")[columns].sum(min_count=1).reset_index(drop=True)
    out = grouped[keys].copy()
    for total in TOTALS:
        if total in sources:
            column, micro = sources[total]
            values = grouped[column]
            out[total] = micro_to_units(values) if micro else values.astype("Float64" if total in MONEY else "Int64")
    for kpi, (num, den, scale) in KPIS.items():
        if num in out.columns and den in out.columns:
            out[kpi] = _ratio(out[num], out[den], scale)
    out.attrs["conversion"] = str(conversion).lower()
    return out
