"""The column-at-once paths of email hashing give exactly what hashing each value alone gives.

``_hash_emails`` checks a whole column first and, when every value is an address, only hashes;
otherwise it checks value by value. Either way each value must hash as
``_hash_or_refuse(value, normalise_email)`` would: SHA-256 of the lower-cased address, a 64-hex
value passed through lower-cased, "" for a refused value and None for a missing one.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pintools.conversions.emails import normalise_email
from pintools.conversions.hashing import _hash_emails, _hash_or_refuse

HEX64 = st.text("0123456789abcdefABCDEF", min_size=64, max_size=64)
ADDRESSES = st.emails().map(lambda a: "".join(c.upper() if i % 3 == 0 else c for i, c in enumerate(a)))
NEAR_MISSES = st.sampled_from(["jo@example", "jo@@example.com", "@example.com", "jo@-x.com", "jo@x..com",
                               "jo @x.com", "JO@EXAMPLE.COM", "jö@exämple.com", "İ@x.com", "jo@x.com\r"])
VALUES = st.one_of(ADDRESSES, NEAR_MISSES, HEX64, st.none(), st.text(min_size=1, max_size=12))


def one_by_one(texts):
    return [None if text is None else _hash_or_refuse(text, normalise_email) for text in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=30))
def test_a_column_hashes_as_its_values_hash_one_by_one(texts):
    assert _hash_emails(texts) == one_by_one(texts)


@settings(max_examples=100, deadline=None)
@given(st.lists(ADDRESSES, min_size=1, max_size=30))
def test_a_column_of_addresses_only_takes_the_fast_path_and_hashes_each_one(texts):
    hashed = _hash_emails(texts)
    assert hashed == one_by_one(texts) and all(len(h) == 64 for h in hashed)
