"""Emails as exports carry them (invisible characters, display names, mailto:, a final dot) hash
like the clean address, each cleaning is noted without quoting the address, and what still is
not an address is refused."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from pintools.conversions.emails import clean_email, normalise_email
from pintools.conversions.hashing import normalise_and_hash

CLEAN = "jo.doe@example.com"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("raw", "note"), [
    ("jo.doe\u200b@example.com", "1 invisible character removed"),           # zero-width space
    ("\ufeffJo.Doe@Example.com", "1 invisible character removed"),            # a CSV's byte-order mark
    ("jo.doe@exam\u00adple.com\u200d\u2060", "3 invisible characters removed"),  # soft hyphen, joiners
    ("mailto:Jo.Doe@Example.com", "mailto: prefix removed"),
    ("MAILTO:jo.doe@example.com?subject=Order", "mailto: prefix removed"),
    ("Jo Doe <jo.doe@example.com>", "display name removed"),
    ('"Doe, Jo" <Jo.Doe@example.com>', "display name removed"),
    ("jo.doe@example.com.", "trailing dot removed"),
    ("jo.doe@example.com..", "trailing dots removed"),
    ("Jo <mailto:jo.doe@example.com>", "display name, mailto: prefix removed"),
    ("\u200bmailto:jo.doe@example.com.", "1 invisible character, mailto: prefix, trailing dot removed"),
])
def test_pasted_addresses_hash_like_the_clean_one_and_say_what_was_removed(raw, note):
    hashes, problems, notes = normalise_and_hash(pd.Series([raw, CLEAN]), "em", notes=True)
    assert hashes.tolist() == [sha(CLEAN)] * 2
    assert problems.isna().all()
    assert notes.tolist() == [note, pd.NA]


def test_notes_never_quote_the_address():
    _, _, notes = normalise_and_hash(pd.Series(["Secret Name <secret.person@example.com>."]), "em", notes=True)
    assert "secret" not in notes.iloc[0].lower() and "example" not in notes.iloc[0]


@pytest.mark.parametrize("raw", ["jo@example..com", "jo@.example.com", "jo@example-.com", "jo doe@example.com",
                                 "jo@", "mailto:", "\u200b", "Jo Doe <>", "jo@example.com, al@example.com",
                                 "jo(at)example.com", "<jo@example.com> <al@example.com>"])
def test_what_still_is_not_an_address_after_cleaning_is_refused(raw):
    hashes, problems, _ = normalise_and_hash(pd.Series([raw]), "em", notes=True)
    assert hashes.isna().all()
    assert problems.tolist() == ["em is not an email address"]


def test_a_repeated_column_notes_every_row_that_was_cleaned():
    # mostly repeated values take the one-hash-per-distinct-value path; notes must follow each row
    values = pd.Series(["a@b.co", "mailto:a@b.co", None, "c@d.co."] * 1000, index=np.arange(4000) * 3)
    hashes, problems, notes = normalise_and_hash(values, "em", notes=True)
    assert hashes.iloc[:4].tolist() == [sha("a@b.co"), sha("a@b.co"), pd.NA, sha("c@d.co")]
    assert notes.iloc[:4].tolist() == [pd.NA, "mailto: prefix removed", pd.NA, "trailing dot removed"]
    assert notes.notna().sum() == 2000 and (notes.index == values.index).all()


def test_a_clean_column_has_no_notes_and_the_two_value_form_still_works():
    values = pd.Series([f"user{i}@example.com" for i in range(100)])
    hashes, problems, notes = normalise_and_hash(values, "em", notes=True)
    assert notes.isna().all() and problems.isna().all()
    assert normalise_and_hash(values, "em")[0].equals(hashes)          # (hashes, problems) as before
    assert len(normalise_and_hash(values, "em")) == 2


def test_other_fields_have_no_notes():
    _, _, notes = normalise_and_hash(pd.Series(["San Francisco."]), "ct", notes=True)
    assert notes.isna().all()


def test_an_address_already_hashed_is_left_alone():
    digest = sha(CLEAN)
    hashes, _, notes = normalise_and_hash(pd.Series([digest.upper()]), "em", notes=True)
    assert hashes.tolist() == [digest] and notes.isna().all()


def test_the_cleaning_keeps_case_and_the_normaliser_lower_cases():
    address, note = clean_email("Jo <Jo.Doe@Example.COM>")
    assert address == "Jo.Doe@Example.COM" and note == "display name removed"
    assert normalise_email(address) == CLEAN
