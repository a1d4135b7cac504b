"""Match quality after an upload: Pinterest's Event Quality Score (``conversion_eqs/list``, 5.23.0) as a frame.

Pinterest answers, per lookback window (``1d`` or ``14d``) and per (ingestion source, source platform),
an ``overall_status`` (``NEEDS_IMPROVEMENT``, ``FAIR`` or ``GOOD``) and, per *quality component*
(``hashed_email``, ``hashed_maid``, ``click_id_epik``, ``ip_address``, ``user_agent``,
``advertiser_external_id``, ``external_event_id``, ``order_id``, ``order_value``, ``product_id``,
``source_url``) and event type, a ``coverage``, optional ``issues`` and (``external_event_id`` only) an
``overlap``. :func:`read_event_quality` flattens that into one row per window, source, platform,
component and event type. pintools derives nothing: statuses are Pinterest's, read as returned.

The spec calls coverage a "Coverage percentage" without saying whether 83 or 0.83 means 83 %, so
``coverage_scale="auto"`` (the default) reads an answer whose coverages are all at most 1 as
fractions and any other as percentages (``external_event_id`` is required on every event, so its
coverage is near 100 % in either scale); pass ``"percent"`` or ``"fraction"`` to decide. ``coverage``
and ``overlap`` are always fractions 0–1 in the frame.

The operation is disabled in Pinterest's sandbox (``x-sandbox: disabled``): there the call raises
:class:`~pintools.http.sandbox.SandboxUnavailable` before sending. It needs the ``ads:read`` scope.

>>> import pintools as pt
>>> quality = pt.read_event_quality("549755885175")                               # doctest: +SKIP
>>> quality.query("identifier == 'hashed_email'")[["lookback_days", "event_type", "coverage"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..api._common import check_id
from .dtypes import TEXT

if TYPE_CHECKING:
    from ..client import Client

LOOKBACKS = {1: "1d", 14: "14d"}  # LookbackPeriodOptions
OVERALL_STATUSES = ("NEEDS_IMPROVEMENT", "FAIR", "GOOD")
INGESTION_SOURCES = ("TAG", "MMP", "FILE_UPLOAD", "CONVERSIONS_API", "NATIVE")
SOURCE_PLATFORMS = ("WEB", "MOBILE", "MOBILE_ANDROID", "MOBILE_IOS", "OFFLINE", "PINTEREST_WEB",
                    "PINTEREST_ANDROID", "PINTEREST_IOS", "POINT_OF_SALE")
COVERAGE_SCALES = ("auto", "percent", "fraction")
COLUMNS = ("ad_account_id", "lookback_days", "ingestion_source", "source_platform", "overall_status",
           "identifier", "event_type", "coverage", "overlap", "issues")


def _lookbacks(lookback) -> list[int]:
    values = [lookback] if isinstance(lookback, (int, str)) else list(lookback)
    days = []
    for value in values:
        text = str(value).strip().lower().removesuffix("d")
        if isinstance(value, bool) or not text.isdigit() or int(text) not in LOOKBACKS:
            raise ValueError(f"lookback must be 1 or 14 days (Pinterest's lookback_period 1d / 14d), or both: "
                             f"lookback=(1, 14); got {value!r}")
        days.append(int(text))
    if not days:
        raise ValueError("lookback names no window; use 1, 14 or (1, 14)")
    return list(dict.fromkeys(days))


def _choice(name: str, value: str | None, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if str(value).upper() not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return str(value).upper()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _issues(items: Any) -> str | None:
    if not isinstance(items, list) or not items:
        return None
    texts = [f"{i.get('name') or i.get('id')}: {i.get('reason')}" if i.get("reason") else str(i.get("name") or i.get("id"))
             for i in items if isinstance(i, dict)]
    return "; ".join(texts) or None


def _rows(account: str, days: int, scores: list) -> list[dict]:
    rows = []
    for score in scores:
        if not isinstance(score, dict):
            continue
        base = {"ad_account_id": account, "lookback_days": days, "ingestion_source": score.get("ingestion_source"),
                "source_platform": score.get("source_platform"), "overall_status": score.get("overall_status")}
        components = score.get("quality_components") or {}
        for identifier, by_event in components.items():
            for event_type, detail in (by_event or {}).items():
                detail = detail if isinstance(detail, dict) else {}
                rows.append(base | {"identifier": identifier, "event_type": event_type,
                                    "coverage": _number(detail.get("coverage")),
                                    "overlap": _number(detail.get("overlap")), "issues": _issues(detail.get("issues"))})
        if not any(components.values()):  # a score without components still carries its overall status
            rows.append(base | {"identifier": None, "event_type": None, "coverage": None, "overlap": None,
                                "issues": None})
    return rows


def _scale(rows: list[dict], coverage_scale: str) -> str:
    if coverage_scale != "auto":
        return coverage_scale
    values = [r[k] for r in rows for k in ("coverage", "overlap") if r[k] is not None]
    return "fraction" if values and max(values) <= 1 else "percent"


def read_event_quality(
    ad_account_id: str,
    *,
    lookback: int | str | Iterable[int | str] = (1, 14),
    source_platform: str | None = None,
    ingestion_source: str | None = None,
    coverage_scale: str = "auto",
    client: "Client | None" = None,
) -> pd.DataFrame:
    """The ad account's Event Quality Score, one row per lookback window, ingestion source, source
    platform, identifier (quality component) and event type; one ``conversion_eqs/list`` call per window.

    ``lookback``: 1, 14 (days) or both (default). ``source_platform`` / ``ingestion_source`` narrow
    Pinterest's answer (``"OFFLINE"``, ``"CONVERSIONS_API"`` …). ``coverage_scale``: how to read
    Pinterest's coverage numbers (see the module doc).

    Columns: ``ad_account_id``, ``lookback_days`` (Int64), ``ingestion_source``, ``source_platform``,
    ``overall_status`` (as Pinterest returns it), ``identifier`` (e.g. ``hashed_email``), ``event_type``,
    ``coverage`` and ``overlap`` (Float64 fractions 0–1; overlap only for ``external_event_id``) and
    ``issues`` (Pinterest's issue names and reasons, joined by "; "). Text columns are ``string``.
    ``attrs["coverage_scale"]`` says how coverage was read. No events in a window → no rows for it.

    >>> q = pt.read_event_quality("549755885175", lookback=1, ingestion_source="CONVERSIONS_API")  # doctest: +SKIP
    >>> q.pivot_table(index="identifier", columns="event_type", values="coverage")                 # doctest: +SKIP
    """
    if coverage_scale not in COVERAGE_SCALES:
        raise ValueError(f"coverage_scale must be one of {', '.join(COVERAGE_SCALES)}; got {coverage_scale!r}")
    account = check_id(ad_account_id, "ad_account_id")
    windows = _lookbacks(lookback)
    platform = _choice("source_platform", source_platform, SOURCE_PLATFORMS)
    ingestion = _choice("ingestion_source", ingestion_source, INGESTION_SOURCES)
    if client is None:
        from ..client import default_client

        client = default_client()
    rows = []
    for days in windows:
        scores = client.conversions.event_quality(account, LOOKBACKS[days], source_platform=platform,
                                                  ingestion_source=ingestion)
        rows.extend(_rows(account, days, scores))
    scale = _scale(rows, coverage_scale)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("coverage", "overlap"):
        values = pd.array(frame[column].tolist(), dtype="Float64")
        frame[column] = values / 100 if scale == "percent" else values
    frame["lookback_days"] = pd.array(frame["lookback_days"].tolist(), dtype="Int64")
    for column in ("ad_account_id", "ingestion_source", "source_platform", "overall_status", "identifier",
                   "event_type", "issues"):
        frame[column] = pd.array(frame[column].tolist(), dtype=TEXT)
    frame.attrs["coverage_scale"] = scale
    return frame
