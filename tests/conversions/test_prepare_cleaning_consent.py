"""prepare_conversions notes every email cleaned before hashing in the row's warnings (never
quoting the address) and carries consent: a ``consent`` column, ``attrs["consent"]``, LDP fields."""

import hashlib

import pandas as pd
import pytest

from pintools.conversions import prepare_conversions, userdata
from pintools.conversions.consent import NO_INFORMATION

from .conftest import NOW, orders


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(df, **kw):
    return prepare_conversions(df, event_name="checkout", action_source="web", now=NOW, **kw)


@pytest.mark.parametrize(("raw", "note"), [
    ("jo\u200b@example.com", "1 invisible character removed"),
    ("mailto:jo@example.com", "mailto: prefix removed"),
    ("jo@example.com.", "trailing dot removed"),
    ("Jo <jo@example.com>", "display name removed"),
])
def test_each_email_cleaning_is_a_warning_of_its_row(raw, note):
    prepared = prepare(orders(2, email=[raw, "al@example.com"]))
    assert prepared["user_data.em"].iloc[0] == sha("jo@example.com")
    assert prepared.warnings.tolist() == [f"user_data.em (column 'email'): {note} before hashing", pd.NA]
    assert prepared.problems.isna().all()


def test_cleaning_warnings_never_quote_the_address():
    prepared = prepare(orders(1, email=["Secret Person <secret.person@example.com>"]))
    assert "secret" not in prepared.warnings.iloc[0].lower()


def test_cleaning_warnings_survive_hashing_in_worker_processes(monkeypatch):
    monkeypatch.setattr(userdata, "MIN_ROWS_PER_WORKER", 2)
    emails = [f"mailto:user{i}@example.com" if i % 3 == 0 else f"user{i}@example.com" for i in range(12)]
    prepared = prepare(orders(12, email=emails), workers=2)
    noted = prepared.warnings.notna()
    assert noted.tolist() == [i % 3 == 0 for i in range(12)]
    assert prepared["user_data.em"].tolist() == [sha(f"user{i}@example.com") for i in range(12)]


def test_a_still_unusable_address_is_refused_with_the_usual_warning():
    prepared = prepare(orders(1, email=["mailto:"]))
    assert prepared["user_data.em"].isna().all()
    assert "is not an email address; left out" in prepared.warnings.iloc[0]


def test_the_prepared_frame_carries_consent_and_its_basis():
    prepared = prepare(orders(3, consent=["yes", "no", None]))
    assert prepared["consent"].tolist() == [True, False, pd.NA]
    assert prepared.attrs["consent"].startswith("consent: from column 'consent' (advertising)")
    assert "consent" not in prepared.attrs["unused_columns"]
    assert prepare(orders(1))["consent"].isna().all()
    assert prepare(orders(1)).attrs["consent"] == NO_INFORMATION


def test_ccpa_rows_are_prepared_with_limited_data_processing():
    prepared = prepare(orders(2, do_not_sell=["no", "yes"]))
    assert prepared["opt_out"].tolist() == [pd.NA, True]
    assert prepared["custom_data.opt_out_type"].tolist() == [pd.NA, "LDP"]
