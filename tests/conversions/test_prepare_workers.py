"""``workers=2``: hashing in a forked process gives the same frame, and a failure there is raised here."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

import pintools.conversions.userdata as userdata
from pintools.conversions import prepare_conversions

from .conftest import NOW, orders

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the worker inherits the monkeypatch by fork")


def prep(df: pd.DataFrame, **kw) -> pd.DataFrame:
    return prepare_conversions(df, event_name="checkout", action_source="web", now=NOW, **kw)


def test_missing_refused_and_cleaned_values_come_back_from_the_worker_as_in_one_process(monkeypatch):
    df = orders(60, phone=[f"(415) 555-01{i:02d}" if i % 7 else "12" for i in range(60)],
                country=["US", "GB", None] * 20)
    df.loc[[5, 40], "email"] = ["not an email", None]
    df.loc[[11, 50], "email"] = ["mailto:someone@example.com", "Jo <jo@example.com>"]  # cleaned, with notes
    one = prep(df)
    monkeypatch.setattr(userdata, "MIN_ROWS_PER_WORKER", 10)
    two = prep(df, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert two.loc[50, "warnings"] == one.loc[50, "warnings"] and "display name" in two.loc[50, "warnings"]


def test_an_error_in_a_worker_process_is_raised_by_prepare(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("hashing failed in the worker")

    monkeypatch.setattr(userdata, "MIN_ROWS_PER_WORKER", 10)
    monkeypatch.setattr(userdata, "hashed_lists", broken)  # only the worker calls it
    with pytest.raises(ValueError, match="hashing failed in the worker"):
        prep(orders(60), workers=2)
