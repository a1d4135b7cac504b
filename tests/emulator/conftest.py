"""Fixtures for the emulator tests: servers, an API helper, and the OpenAPI spec path."""

from __future__ import annotations

import pytest
import requests

from pintools.emulator import DEMO_ACCESS_TOKEN, start

SEED = 42
# A fixed "now" for analytics tests: demo campaigns started 2024-01-02, so every window has data.
CLOCK = "2025-03-15T13:30:00Z"
NO_LIMITS = {"ads_analytics": None, "trends_read": None, "ads_read": None}


class Api:
    """A tiny HTTP helper bound to one emulator: ``api.get("/ad_accounts", page_size=2)``."""

    def __init__(self, server, token: str = DEMO_ACCESS_TOKEN):
        self.server = server
        self.base = server.base_url
        self.session = requests.Session()
        self.token = token

    def _headers(self, token):
        token = self.token if token is None else token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None, token=None, **kw):
        kw.setdefault("timeout", 30)
        return self.session.get(self.base + path, params=params, headers=self._headers(token), **kw)

    def post(self, path, json=None, token=None, **kw):
        kw.setdefault("timeout", 30)
        return self.session.post(self.base + path, json=json, headers=self._headers(token), **kw)

    def patch(self, path, json=None, token=None, **kw):
        kw.setdefault("timeout", 30)
        return self.session.patch(self.base + path, json=json, headers=self._headers(token), **kw)

    def all_pages(self, path, params=None):
        """Every item of a paginated list, following bookmarks."""
        params = dict(params or {})
        items = []
        while True:
            body = self.get(path, params=params).json()
            items.extend(body["items"])
            if body["bookmark"] is None:
                return items
            params["bookmark"] = body["bookmark"]

    def accounts(self):
        return self.get("/ad_accounts").json()["items"]

    def usd_account(self) -> str:
        """The id of the first USD ad account."""
        return next(a for a in self.accounts() if a["currency"] == "USD")["id"]

    def bulk_upsert(self, account, body) -> str:
        """Start a bulk upsert; its request id (the answer must be a 200)."""
        r = self.post(f"/ad_accounts/{account}/bulk/upsert", json=body)
        assert r.status_code == 200, r.text
        return r.json()["request_id"]

    def bulk_status(self, account, request_id, **params) -> dict:
        """Poll a bulk request once (the answer must be a 200)."""
        r = self.get(f"/ad_accounts/{account}/bulk/{request_id}", params=params or None)
        assert r.status_code == 200, r.text
        return r.json()


def _no_violations(server, request=None) -> None:
    """No spec violation recorded; a test marked ``spec_violations_expected`` (it sends requests that
    break the spec on purpose) may leave request-side ones (``status`` None)."""
    violations = server.control.spec_violations()
    if request is not None and request.node.get_closest_marker("spec_violations_expected"):
        violations = [v for v in violations if v["status"] is not None]
    assert violations == [], f"emulator answers that violate the OpenAPI spec: {violations}"


@pytest.fixture(scope="session")
def shared_server():
    """A read-only emulator shared by the whole session (tests must not mutate it).

    It validates against the spec whenever ``PINTOOLS_OPENAPI_SPEC`` is set (the repo's root
    conftest sets it when the spec is present), and must end with no spec violations.
    """
    server = start(seed=SEED)
    yield server
    _no_violations(server)
    server.stop()


@pytest.fixture(scope="session")
def _mutable_server():
    server = start(seed=SEED)
    yield server
    server.stop()


def _reset(server) -> None:
    server.control.reset(seed=SEED, scale=1, accounts="default")
    for category in ("ads_read", "ads_write", "org_read", "ads_analytics", "trends_read"):
        server.control.set_rate_limit(category, per_minute=1000)
    server.control.set_rate_limit("ads_conversions", per_minute=5000)
    server.control.set_clock(None)


@pytest.fixture
def server(_mutable_server, request):
    """An emulator reset to seed 42 (fresh data, log, faults, limits) for a mutating test."""
    _reset(_mutable_server)
    yield _mutable_server
    _no_violations(_mutable_server, request)


@pytest.fixture(scope="session")
def _plain_server():
    server = start(seed=SEED, spec_path=False)
    yield server
    server.stop()


@pytest.fixture
def plain_server(_plain_server):
    """Like ``server`` but with spec validation forced off (``spec_path=False``)."""
    _reset(_plain_server)
    return _plain_server


@pytest.fixture
def plain_api(plain_server):
    """An :class:`Api` on the reset server without spec validation."""
    return Api(plain_server)


@pytest.fixture
def api(server):
    """An :class:`Api` on the freshly reset mutable server."""
    return Api(server)


@pytest.fixture(scope="session")
def ro_api(shared_server):
    """An :class:`Api` on the shared read-only server."""
    return Api(shared_server)


@pytest.fixture(scope="session")
def us_account(ro_api):
    """The US demo account (Juniper & Sage Home) of the shared server."""
    return next(a for a in ro_api.accounts() if a["currency"] == "USD")



@pytest.fixture(scope="session")
def analytics_server():
    """A read-only emulator with a fixed clock (``CLOCK``) and no rate limits, for analytics and
    research reads (validated against the spec when available; must end with no violations)."""
    server = start(seed=SEED, clock=CLOCK, rate_limits=NO_LIMITS)
    yield server
    _no_violations(server)
    server.stop()


@pytest.fixture(scope="session")
def aapi(analytics_server):
    """An :class:`Api` on ``analytics_server``."""
    return Api(analytics_server)


@pytest.fixture(scope="session")
def demo(aapi):
    """The US demo account's id and its campaigns, ad groups and ads (every status)."""
    account = next(a for a in aapi.accounts() if a["currency"] == "USD")
    base = f"/ad_accounts/{account['id']}"
    every = {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250}
    return {
        "account": account["id"],
        "base": base,
        "campaigns": aapi.all_pages(base + "/campaigns", every),
        "ad_groups": aapi.all_pages(base + "/ad_groups", every),
        "ads": aapi.all_pages(base + "/ads", every),
    }


@pytest.fixture(scope="session")
def _plain_analytics_server():
    server = start(seed=SEED, clock=CLOCK, rate_limits=NO_LIMITS, spec_path=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def plain_aapi(_plain_analytics_server):
    """Like ``aapi`` but without spec validation, so the emulator's own checks answer."""
    return Api(_plain_analytics_server)


@pytest.fixture
def rapi(server):
    """An :class:`Api` on the reset mutable server with the clock fixed at ``CLOCK``."""
    server.control.set_clock(CLOCK)
    return Api(server)


@pytest.fixture
def plain_rapi(plain_server):
    """An :class:`Api` on the reset server without spec validation, clock fixed at ``CLOCK``."""
    plain_server.control.set_clock(CLOCK)
    return Api(plain_server)
