"""Fixtures for the Conversions API tests: one emulator for the folder, reset before each test
that uses it and fixed at the demo clock (2026-11-15T12:00:00Z), and a client whose retries
do not wait."""

from __future__ import annotations

import pandas as pd
import pytest

import pintools as pt

#: The emulator clock of these tests (the embedded demo emulator's clock).
NOW = 1_794_744_000  # 2026-11-15T12:00:00Z
NOW_ISO = "2026-11-15T12:00:00Z"
HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture(scope="package")
def _conversions_emulator():
    from pintools.emulator import start

    srv = start(seed=42)
    yield srv
    srv.stop()


@pytest.fixture
def emu(_conversions_emulator):
    """The folder's emulator, reset (no events, calls, faults; full rate buckets) with its clock
    at :data:`NOW`; its answers must stay within the OpenAPI spec."""
    srv = _conversions_emulator
    limits = srv.control.rate_limits()
    srv.control.reset()
    srv.control.set_clock(NOW)
    yield srv
    violations = srv.control.spec_violations()
    srv.control.clear_faults()
    for category, limit in limits.items():  # set_rate_limit survives a reset: put the defaults back
        srv.control.set_rate_limit(category, limit["per_minute"], limit["burst"])
    assert violations == [], f"emulator answers that violate the OpenAPI spec: {violations}"


def connect(srv, **kw) -> pt.Client:
    kw.setdefault("retry", pt.RetryPolicy(max_attempts=8, backoff_base=0.001, backoff_max=0.01))
    return pt.connect(emulator=srv, quiet=True, **kw)


@pytest.fixture
def capi(emu):
    """A client on :func:`emu` whose backoff is a few milliseconds."""
    return connect(emu)


@pytest.fixture
def account(capi) -> str:
    return next(iter(capi.ad_accounts.list()))["id"]


def orders(n: int, *, index=None, start: int = 0, **extra) -> pd.DataFrame:
    """``n`` checkout rows an hour before :data:`NOW`, each with a unique order id and email."""
    frame = pd.DataFrame({
        "order_id": [f"order-{i}" for i in range(start, start + n)],
        "email": [f"Buyer{i}@Example.com" for i in range(start, start + n)],
        "total": [10.5 + i for i in range(n)],
        "currency": "USD",
        "order_date": NOW - HOUR,
        **extra,
    }, index=index)
    return frame
