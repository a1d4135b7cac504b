"""Keyword research metrics (digest §11.1): country-wide search volume buckets.

Stable per (seed, country, keyword) – "aggregated across all of Pinterest", not per account.
Volume falls with the number of words and grows with the country's Pinterest audience; it is
reported as a bucket label. 5.23.0's ``KeywordMetrics`` has ``keyword_query_volume`` only
(5.12.0 also had ``avg_cpc_in_micro_currency``, gone since).

Example:
    >>> m = keyword_metrics(1, "US", "animals", "USD")
    >>> m["keyword_query_volume"] in VOLUME_BUCKETS, "avg_cpc_in_micro_currency" in m
    (True, False)
    >>> keyword_metrics(1, "us", "Animals", "USD") == m
    True
"""

from __future__ import annotations

from pintools.emulator.models.hashing import unit

MAX_KEYWORDS = 2000
# (lower bound of monthly searches, label), largest first.
VOLUME_BUCKETS = ("5M+", "1M-5M", "100K-1M", "10K-100K", "1K-10K", "<1K")
_BOUNDS = ((5_000_000, "5M+"), (1_000_000, "1M-5M"), (100_000, "100K-1M"), (10_000, "10K-100K"), (1_000, "1K-10K"))
# Relative size of a country's Pinterest search audience (US = 1).
COUNTRY_SIZE = {"US": 1.0, "BR": 0.45, "MX": 0.3, "DE": 0.25, "GB": 0.25, "FR": 0.22, "CA": 0.12, "IT": 0.15,
                "ES": 0.15, "AR": 0.1, "CO": 0.08, "AU": 0.08, "PL": 0.07, "NL": 0.06, "JP": 0.06, "SE": 0.03}


def volume_bucket(volume: float) -> str:
    """The bucket label of a monthly search volume.

    Example:
        >>> volume_bucket(2_000_000), volume_bucket(12)
        ('1M-5M', '<1K')
    """
    for bound, label in _BOUNDS:
        if volume >= bound:
            return label
    return "<1K"


def keyword_metrics(seed: int, country_code: str, keyword: str, currency: str) -> dict:
    """``KeywordMetrics`` of one keyword in one country (case-insensitive on both; ``currency`` is
    kept for callers, no 5.23.0 field is money)."""
    country, text = country_code.upper(), " ".join(keyword.lower().split())
    words = max(1, len(text.split()))
    size = COUNTRY_SIZE.get(country, 0.02)
    exponent = 7.2 - 0.85 * (words - 1) + (2.2 * unit(seed, country, text, "volume") - 1.1)
    volume = 10**exponent * size
    return {"keyword_query_volume": volume_bucket(volume)}
