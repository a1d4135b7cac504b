"""user_data normalisation and hashing, as the spec words each field (digest §15.3): every hash
is compared with hashlib's SHA-256 of the normal form written out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pytest

from pintools.conversions import prepare_conversions
from pintools.conversions.hashing import hash_values, normalise_and_hash

from .conftest import NOW, orders


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hashes(values, field: str, **kw) -> list:
    return hash_values(pd.Series(values, dtype=object), field, **kw).tolist()


# -- email -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["Jo.Doe@Example.COM", "  jo.doe@example.com  ", "\tJO.DOE@EXAMPLE.COM\n",
                                 "jo.doe@example.com"])
def test_mixed_case_email_with_spaces_hashes_like_the_clean_form(raw):
    assert hashes([raw], "em") == [sha("jo.doe@example.com")]


def test_email_hashes_through_prepare_are_those_of_the_clean_form():
    df = orders(2)
    df["email"] = ["  MiXed.Case@Example.ORG ", "mixed.case@example.org"]
    df["order_id"] = ["a", "b"]
    prepared = prepare_conversions(df, event_name="checkout", action_source="web", now=NOW)
    assert prepared["user_data.em"].tolist() == [sha("mixed.case@example.org")] * 2
    assert prepared.problems.isna().all()


# -- values already hashed -------------------------------------------------------------------

@pytest.mark.parametrize("field", ["em", "ph", "zp", "fn", "ln", "ct", "st", "country", "ge", "db", "external_id",
                                   "hashed_maids"])
def test_a_sha256_hex_value_is_not_hashed_again(field):
    digest = sha("whatever the advertiser hashed")
    assert hashes([digest, f"  {digest} "], field) == [digest, digest]


@pytest.mark.parametrize("field", ["em", "ph", "zp", "country", "st", "external_id"])
def test_upper_case_hex_is_lower_cased_not_hashed(field):
    digest = sha("+14155550100")
    got, problems = normalise_and_hash(pd.Series([digest.upper()]), field)
    assert got.tolist() == [digest]
    assert problems.isna().all()


def test_prehashed_columns_pass_through_prepare_unchanged():
    em, ph, zp = sha("a@b.co"), sha("14155550100"), sha("94105")
    df = pd.DataFrame({"event_id": ["e1"], "event_time": [NOW - 60], "email": [em.upper()], "phone": [ph],
                       "zip": [zp]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert prepared.loc[0, ["user_data.em", "user_data.ph", "user_data.zp"]].tolist() == [em, ph, zp]


def test_63_or_65_hex_digits_are_not_taken_for_a_hash():
    # only exactly 64 hex digits pass through; anything else is normalised (and may be refused)
    digest = sha("x")
    got, problems = normalise_and_hash(pd.Series([digest[:-1], digest + "a"]), "external_id")
    assert got.tolist() == [sha(digest[:-1]), sha(digest + "a")]


# -- phones ----------------------------------------------------------------------------------

US = "14155550100"


@pytest.mark.parametrize("raw", ["(415) 555-0100", "415.555.0100", "+1 415-555-0100", "001 415 555 0100",
                                 "1-415-555-0100", "4155550100", "+1 (415) 555 0100"])
def test_us_phone_formats_hash_like_e164_digits(raw):
    assert hashes([raw], "ph") == [sha(US)]


@pytest.mark.parametrize("raw, region, digits", [
    ("020 7946 0018", "GB", "442079460018"),
    ("+44 20 7946 0018", "US", "442079460018"),
    ("0044 20 7946 0018", "US", "442079460018"),
    ("+44 (0)20 7946 0018", "US", "442079460018"),     # the "(0)" trunk prefix is not dialled from abroad
    ("+44 (0)20 7946 0018", "GB", "442079460018"),
    ("0044 (0) 20 7946 0018", "GB", "442079460018"),
    ("030 12345678", "DE", "493012345678"),
    ("+49 (0)30 12345678", "DE", "493012345678"),
    ("01 23 45 67 89", "FR", "33123456789"),
    ("+33 (0)1 23 45 67 89", "FR", "33123456789"),
    ("06 1234 5678", "IT", "390612345678"),            # Italian numbers keep their leading zero
    ("+39 06 1234 5678", "US", "390612345678"),
    ("02 9876 5432", "AU", "61298765432"),
    ("0412 345 678", "AU", "61412345678"),
])
def test_national_and_international_phone_formats(raw, region, digits):
    assert hashes([raw], "ph", default_region=region) == [sha(digits)]


def test_gb_phone_read_with_the_rows_country_column():
    df = pd.DataFrame({"event_id": ["gb", "us"], "event_time": [NOW - 60] * 2, "email": ["a@b.co", "c@d.co"],
                       "phone": ["020 7946 0018", "(415) 555-0100"], "country": ["GB", "US"]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert prepared["user_data.ph"].tolist() == [sha("442079460018"), sha(US)]
    assert prepared.warnings.isna().all()


def test_same_national_number_in_two_countries_hashes_per_row_region():
    df = pd.DataFrame({"event_id": ["a", "b"], "event_time": [NOW - 60] * 2, "email": ["a@b.co", "c@d.co"],
                       "phone": ["06 1234 5678", "06 1234 5678"], "country": ["IT", "FR"]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert prepared["user_data.ph"].tolist() == [sha("390612345678"), sha("33612345678")]


def test_gb_phone_with_default_region():
    df = pd.DataFrame({"event_id": ["gb"], "event_time": [NOW - 60], "email": ["a@b.co"], "phone": ["020 7946 0018"]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW, default_region="GB")
    assert prepared["user_data.ph"].tolist() == [sha("442079460018")]


@pytest.mark.parametrize("raw", ["12", "abc", "555"])
def test_invalid_phone_is_left_out_with_a_warning_that_does_not_quote_it(raw):
    df = pd.DataFrame({"event_id": ["e1"], "event_time": [NOW - 60], "email": ["a@b.co"], "phone": [raw]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert pd.isna(prepared.loc[0, "user_data.ph"])
    assert prepared.problems.isna().all()                     # still sendable: em identifies the user
    warning = prepared.loc[0, "warnings"]
    assert "user_data.ph" in warning and "phone" in warning
    assert raw not in warning


# -- the other hashed fields -----------------------------------------------------------------

@pytest.mark.parametrize("field, raw, normal", [
    ("fn", "  Anne ", "anne"),
    ("fn", "ANNE", "anne"),
    ("ln", "McDonald", "mcdonald"),
    ("ln", " O'Brien ", "o'brien"),
    ("ge", "F", "f"),
    ("ge", "Female", "f"),
    ("ge", "male", "m"),
    ("ge", "M", "m"),
    ("ge", "n", "n"),
    ("ge", "Non-Binary", "n"),
    ("db", "1990-02-01", "19900201"),
    ("db", "1990/2/1", "19900201"),
    ("db", "19900201", "19900201"),
    ("ct", "San Francisco", "sanfrancisco"),
    ("ct", "St. Albans", "stalbans"),
    ("ct", "Winston-Salem", "winstonsalem"),
    ("st", "CA", "ca"),
    ("st", " ny ", "ny"),
    ("st", "California", "ca"),
    ("st", "New York", "ny"),
    ("zp", "94105", "94105"),
    ("zp", "94105-1234", "94105"),
    ("zp", "02139", "02139"),
    ("country", "US", "us"),
    ("country", " gb ", "gb"),
    ("country", "USA", "us"),
    ("external_id", "Cust-0042", "Cust-0042"),
    ("external_id", " Cust-0042 ", "Cust-0042"),
])
def test_field_normalisation_then_sha256(field, raw, normal):
    got, problems = normalise_and_hash(pd.Series([raw]), field)
    assert got.tolist() == [sha(normal)]
    assert problems.isna().all()


@pytest.mark.parametrize("field, raw", [("ge", "unknown"), ("db", "01/02/1990"), ("db", "31st of June"),
                                        ("st", "Narnia"), ("country", "Germany"), ("em", "not-an-email"),
                                        ("em", "two@@example.com")])
def test_unusable_values_are_refused_with_a_problem_that_does_not_quote_them(field, raw):
    got, problems = normalise_and_hash(pd.Series([raw]), field)
    assert got.isna().all()
    assert problems.iloc[0].startswith(field + " ")
    assert raw not in problems.iloc[0]


@pytest.mark.parametrize("values", [
    [dt.date(1990, 2, 1)],
    [dt.datetime(1990, 2, 1, 13, 30)],
    [pd.Timestamp("1990-02-01")],
    pd.to_datetime(pd.Series(["1990-02-01"])),
    pd.to_datetime(pd.Series(["1990-02-01 23:59"])).dt.tz_localize("Europe/Paris"),
    ["1990-02-01T08:00:00"],
])
def test_birth_dates_from_dates_datetime64_and_strings(values):
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    assert hash_values(series, "db").tolist() == [sha("19900201")]


def test_birth_dates_through_prepare_from_a_datetime64_column():
    df = pd.DataFrame({"event_id": ["a", "b"], "event_time": [NOW - 60] * 2, "email": ["a@b.co", "c@d.co"],
                       "dob": pd.to_datetime(["1990-02-01", None])})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert prepared["user_data.db"].iloc[0] == sha("19900201")
    assert pd.isna(prepared["user_data.db"].iloc[1])


def test_missing_values_stay_missing_and_are_not_hashed():
    got, problems = normalise_and_hash(pd.Series(["a@b.co", None, np.nan, "", "  "], dtype=object), "em")
    assert got.tolist()[0] == sha("a@b.co")
    assert got.iloc[1:].isna().all() and problems.isna().all()    # never sha("nan") or sha("")


@pytest.mark.parametrize("country", ["GB", "gb", " UK ", "United Kingdom"])
def test_the_country_column_gives_the_phone_region_as_user_data_country_reads_it(country):
    df = pd.DataFrame({"event_id": ["gb"], "event_time": [NOW - 60], "email": ["a@b.co"], "phone": ["020 7946 0018"],
                       "country": [country]})
    prepared = prepare_conversions(df, event_name="lead", action_source="web", now=NOW)
    assert prepared.loc[0, "user_data.ph"] == sha("442079460018")
    assert prepared.loc[0, "user_data.country"] == sha("gb")
    assert prepared.warnings.isna().all()
