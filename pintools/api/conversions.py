"""Conversions API: ``POST /ad_accounts/{id}/events`` (``events/create``, ``ads_conversions``).

The call is safe to resend (Pinterest deduplicates on ``event_id``), so 429s, 5xx answers and
broken connections are retried. Authorisation is the client's OAuth token or an Ads-Manager
*conversion token* (:class:`ConversionToken`), which only this endpoint accepts. The rate
budget is kept per ad account, as Pinterest limits it.

>>> answer = client.conversions.send("549755885175", events, test=True)   # doctest: +SKIP
>>> answer["num_events_processed"]                                          # doctest: +SKIP
1000
"""

from __future__ import annotations

from collections.abc import Sequence

from ..http.errors import AuthError, BadResponse, InvalidRequest
from ..http.requestor import Requestor
from ._common import check_id


class ConversionToken:
    """An Ads-Manager conversion access token; its repr never shows it.

    >>> ConversionToken("secret-value")
    ConversionToken(****)
    """

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token.strip():
            raise ValueError("a conversion token must be a non-empty string")
        self._token = token.strip()

    def __repr__(self) -> str:
        return "ConversionToken(****)"

    def header(self) -> str:
        return f"Bearer {self._token}"


class Conversions:
    """``send`` one batch of up to 1,000 events."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor
        #: The conversion token used when ``send`` gets none: the one ``pintools auth conversion-token``
        #: stored in the client's profile (set by ``pt.connect``), else None (the OAuth token is used).
        self.stored_token: ConversionToken | None = None

    def __repr__(self) -> str:
        return "Conversions()"

    def send(self, ad_account_id: str, events: Sequence[dict], *, test: bool = False,
             token: ConversionToken | None = None) -> dict:
        """Send events; the ``ConversionApiResponse`` (``num_events_received``,
        ``num_events_processed``, ``events`` with a status per event in request order).

        A 422 ("Not all events were successfully processed") carries the same object in its
        ``details``; it is returned like a 200, so callers read per-event results one way.
        Without ``token`` it uses :attr:`stored_token`, else the client's OAuth token.
        """
        account = check_id(ad_account_id, "ad_account_id")
        if not 1 <= len(events) <= 1000:
            raise ValueError(f"a conversions call takes 1 to 1,000 events, got {len(events):,}")
        stored = token is None and self.stored_token is not None
        token = token or self.stored_token
        extra = {"authenticate": False, "headers": {"Authorization": token.header()}} if token else {}
        for attempt in (1, 2):
            try:
                return self._r.request("POST", f"/ad_accounts/{account}/events", category=f"ads_conversions:{account}",
                                       params={"test": "true"} if test else None, json_body={"data": list(events)},
                                       idempotent=True, **extra).data or {}
            except InvalidRequest as err:
                if err.status == 422 and isinstance(err.details, dict) and isinstance(err.details.get("events"), list):
                    return err.details
                raise
            except AuthError as err:
                if stored and err.status == 401:
                    raise AuthError(f"{err.message} The conversion token stored in your pintools profile was refused "
                                    "(revoked, or issued for another user): run `pintools auth conversion-token` "
                                    "again for a new one, or remove conversion_token from the profile to send with "
                                    "your OAuth token.", status=err.status, code=err.code, request_id=err.request_id,
                                    method=err.method, path=err.path) from None
                raise
            except BadResponse as err:
                # a 2xx whose body cannot be read: the events may have landed, so the per-event
                # verdicts are unknown; resending is safe (Pinterest deduplicates on event_id)
                if attempt == 2 or err.status is None or not 200 <= err.status < 300:
                    raise
        raise AssertionError("unreachable")

    def event_quality(self, ad_account_id: str, lookback_period: str, *, source_platform: str | None = None,
                      ingestion_source: str | None = None) -> list:
        """``GET /ad_accounts/{id}/conversion_eqs`` (``conversion_eqs/list``, 5.23.0): a list of
        ``EventQualityScore`` for ``lookback_period`` ``"1d"`` or ``"14d"``.

        >>> client.conversions.event_quality("549755885175", "14d")[0]["overall_status"]   # doctest: +SKIP
        'GOOD'
        """
        account = check_id(ad_account_id, "ad_account_id")
        params = {"lookback_period": lookback_period, "source_platform": source_platform,
                  "ingestion_source": ingestion_source}
        resp = self._r.request("GET", f"/ad_accounts/{account}/conversion_eqs", category="ads_read",
                               params={k: v for k, v in params.items() if v is not None})
        if not isinstance(resp.data, list):
            raise BadResponse("conversion_eqs/list answered with something other than a JSON array.",
                              status=resp.status, request_id=resp.request_id)
        return resp.data
