"""Analytics endpoints: sync analytics per level, targeting analytics, async reports.

One method per endpoint; each is one call through the requestor and returns what the API
returns. Chunking, windows and tidy frames live in :mod:`pintools.analytics`.

>>> rows = client.analytics.sync("campaign", "549755885175", ids=["626735565838"],
...                              start_date="2026-11-01", end_date="2026-11-07",
...                              columns=["SPEND_IN_DOLLAR"], granularity="DAY")   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..http.requestor import Requestor
from ._common import check_id, check_ids

CATEGORY = "ads_analytics"

#: level → (path under the ad account, id query parameter, id column in rows)
LEVELS: dict[str, tuple[str, str | None, str]] = {
    "ad_account": ("", None, "AD_ACCOUNT_ID"),
    "campaign": ("/campaigns", "campaign_ids", "CAMPAIGN_ID"),
    "ad_group": ("/ad_groups", "ad_group_ids", "AD_GROUP_ID"),
    "ad": ("/ads", "ad_ids", "AD_ID"),
}
ATTRIBUTION_WINDOWS = (0, 1, 7, 14, 30, 60)
CONVERSION_REPORT_TIMES = ("TIME_OF_AD_ACTION", "TIME_OF_CONVERSION")


def level_info(level: str) -> tuple[str, str | None, str]:
    """``(path suffix, id parameter, row id column)`` for a sync level; a clear error otherwise."""
    try:
        return LEVELS[level]
    except KeyError:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}") from None


def attribution_params(
    click_window_days: int | None,
    engagement_window_days: int | None,
    view_window_days: int | None,
    conversion_report_time: str | None,
) -> dict[str, Any]:
    """The optional attribution parameters, checked against the spec's enums (None = API default)."""
    out: dict[str, Any] = {}
    for name, value in (("click_window_days", click_window_days), ("engagement_window_days", engagement_window_days),
                        ("view_window_days", view_window_days)):
        if value is None:
            continue
        if value not in ATTRIBUTION_WINDOWS:
            raise ValueError(f"{name} must be one of {ATTRIBUTION_WINDOWS}, got {value!r}")
        out[name] = int(value)
    if conversion_report_time is not None:
        if conversion_report_time not in CONVERSION_REPORT_TIMES:
            raise ValueError(f"conversion_report_time must be one of {CONVERSION_REPORT_TIMES}, "
                             f"got {conversion_report_time!r}")
        out["conversion_report_time"] = conversion_report_time
    return out


class Analytics:
    """``GET /ad_accounts/{id}[/campaigns|/ad_groups|/ads]/analytics`` and ``…/targeting_analytics``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Analytics()"

    def _params(self, level: str, ids: Sequence[str] | None, start_date: str, end_date: str,
                columns: Sequence[str], granularity: str, extra: Mapping[str, Any]) -> tuple[str, dict]:
        suffix, id_param, _ = level_info(level)
        params: dict[str, Any] = {"start_date": str(start_date), "end_date": str(end_date),
                                  "columns": ",".join(columns), "granularity": granularity, **extra}
        if id_param is not None:
            checked = check_ids(ids, id_param)
            if not checked:
                raise ValueError(f"{level} analytics need at least one id in {id_param}")
            params[id_param] = checked
        return suffix, params

    def sync(self, level: str, ad_account_id: str, *, ids: Sequence[str] | None = None, start_date: str,
             end_date: str, columns: Sequence[str], granularity: str, **attribution: Any) -> list[dict]:
        """Rows of sync analytics (a bare JSON array in the API)."""
        account = check_id(ad_account_id, "ad_account_id")
        suffix, params = self._params(level, ids, start_date, end_date, columns, granularity,
                                      {**attribution_params(**_attr(attribution)), **_timezone(attribution)})
        data = self._r.request("GET", f"/ad_accounts/{account}{suffix}/analytics", category=CATEGORY,
                               params=params).data
        return _rows(data, "analytics")

    def targeting(self, level: str, ad_account_id: str, *, ids: Sequence[str] | None = None, start_date: str,
                  end_date: str, columns: Sequence[str], granularity: str, targeting_types: Sequence[str],
                  attribution_types: str | None = None, **attribution: Any) -> list[dict]:
        """``{"data": [{targeting_type, targeting_value, metrics}]}`` rows of targeting analytics."""
        account = check_id(ad_account_id, "ad_account_id")
        extra = {**attribution_params(**_attr(attribution)), **_timezone(attribution)}
        extra["targeting_types"] = ",".join(targeting_types)
        if attribution_types is not None:
            extra["attribution_types"] = attribution_types
        suffix, params = self._params(level, ids, start_date, end_date, columns, granularity, extra)
        data = self._r.request("GET", f"/ad_accounts/{account}{suffix}/targeting_analytics", category=CATEGORY,
                               params=params).data
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            from ..http.errors import BadResponse

            raise BadResponse("targeting analytics answered without a 'data' array")
        return data["data"]


class Reports:
    """Async reports: ``POST /ad_accounts/{id}/reports`` and ``GET …/reports?token=``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Reports()"

    def create(self, ad_account_id: str, body: Mapping[str, Any]) -> dict:
        """Start a report; returns ``{report_status, token, message}``. (A POST that only
        asks for work: safe to retry, the worst case is a second report.)"""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.request("POST", f"/ad_accounts/{account}/reports", category=CATEGORY,
                               json_body=dict(body), idempotent=True).data

    def get(self, ad_account_id: str, token: str) -> dict:
        """A report's status: ``{report_status, url, size}``."""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.request("GET", f"/ad_accounts/{account}/reports", category=CATEGORY,
                               params={"token": token}).data

    def download(self, url: str) -> bytes:
        """The report file from its pre-signed URL (no auth header)."""
        return self._r.download(url)


def _attr(values: Mapping[str, Any]) -> dict[str, Any]:
    allowed = ("click_window_days", "engagement_window_days", "view_window_days", "conversion_report_time")
    unknown = set(values) - set(allowed) - {"reporting_timezone"}
    if unknown:
        raise TypeError(f"unexpected argument(s) {', '.join(sorted(unknown))}; attribution options are "
                        f"{', '.join(allowed)}")
    return {k: values.get(k) for k in allowed}


def _timezone(values: Mapping[str, Any]) -> dict[str, Any]:
    """``reporting_timezone`` (5.23 beta query parameter) when given."""
    value = values.get("reporting_timezone")
    return {} if value is None else {"reporting_timezone": value}


def _rows(data: Any, what: str) -> list[dict]:
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        from ..http.errors import BadResponse

        raise BadResponse(f"{what} answered with something other than a JSON array of rows")
    return data
