"""5.23.0 conversion routes: ``GET /ad_accounts/{id}/conversion_eqs`` (``conversion_eqs/list``) and
``POST /oauth/conversion_token`` (``oauth/conversion_token``).

The Event Quality Score is computed from the events ``events/create`` recorded
(:mod:`pintools.emulator.models.event_quality`, which says what is the emulator's model). The conversion
token route takes no body (the spec gives none) and needs an OAuth token with ``ads:write``; it answers a
new token of the caller's user, which ``events/create`` then accepts on every ad account of that user.

Example (over HTTP):
    GET /v5/ad_accounts/{id}/conversion_eqs?lookback_period=1d
    → 200 [{"ingestion_source": "CONVERSIONS_API", "source_platform": "OFFLINE", "lookback_period": "1d",
            "overall_status": "GOOD", "quality_components": {"hashed_email": {"checkout": {"coverage": 83.3}}, …}}]
    POST /v5/oauth/conversion_token
    → 200 {"access_token": "emulator-conversion-token-…", "token_type": "conversion"}
"""

from __future__ import annotations

from flask import request

from pintools.emulator.errors import QueryError
from pintools.emulator.models.event_quality import INGESTION_SOURCES, LOOKBACK_DAYS, SOURCE_PLATFORMS
from pintools.emulator.models.state import DEMO_USER
from pintools.emulator.routes import params


def _choice(name: str, choices, required: bool = False) -> str | None:
    value = request.args.get(name)
    if value is None or value == "":
        if required:
            raise QueryError(f"{name} is required ({', '.join(choices)}).")
        return None
    if value not in choices:
        raise QueryError(f"{name} must be one of {', '.join(choices)}.")
    return value


def list_event_quality(state, ad_account_id: str) -> list[dict]:
    """``EventQualityScore`` objects for the events the account received in the lookback window."""
    account_id = params.path_id(ad_account_id, "ad_account_id")
    lookback = _choice("lookback_period", tuple(LOOKBACK_DAYS), required=True)
    platform = _choice("source_platform", SOURCE_PLATFORMS)
    ingestion = _choice("ingestion_source", INGESTION_SOURCES)
    state.accounts.require(account_id)
    records = state.conversions.events(account_id)
    return state.event_quality.scores(records, state.clock.now(), lookback, platform, ingestion)


def create_conversion_token(state) -> dict:
    """A new conversion token of the calling user (``ConversionAccessTokenResponse``)."""
    return {"access_token": state.conversions.issue_token(DEMO_USER), "token_type": "conversion"}


HANDLERS = {"conversion_eqs/list": list_event_quality, "oauth/conversion_token": create_conversion_token}
