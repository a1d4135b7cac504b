"""Audience insights (digest §12.1–12.2): interests and demographics of an account's audiences.

Deterministic per (seed, account, audience type); ``date`` is two days before the emulator
clock's date. ``YOUR_TOTAL_AUDIENCE`` reaches 0.8–4.5M people, ``YOUR_ENGAGED_AUDIENCE`` 5–15% of
that, ``PINTEREST_TOTAL_AUDIENCE`` ≈ 480M (an upper bound; its indexes are all 1.0 – it *is* the
baseline). Category ``ratio`` = share of the audience interested; ``index`` = affinity against all
of Pinterest. Each demographic list's ratios sum to 1 (rounded to 3 decimals, so ≈ 1); country
keys are lowercase ISO codes ("us"), metro keys DMA codes.

Example:
    >>> from datetime import date
    >>> body = audience_insights(1, {"id": "5", "country": "US"}, "YOUR_TOTAL_AUDIENCE", date(2024, 6, 10))
    >>> body["type"], body["date"], round(sum(v["ratio"] for v in body["demographics"]["genders"]), 2)
    ('YOUR_TOTAL_AUDIENCE', '2024-06-08', 1.0)
    >>> [i["scope"] for i in audience_definitions(date(2024, 6, 10))["items"]]
    ['PARTNER', 'PARTNER', 'PINTEREST']
"""

from __future__ import annotations

from datetime import date, timedelta

from pintools.emulator import targeting_catalog as cat
from pintools.emulator.models.hashing import key64, rng

PINTEREST_AUDIENCE = 482_000_000
NEIGHBOURS = {"US": ("CA", "MX", "GB"), "GB": ("IE", "US", "AU"), "DE": ("AT", "CH", "NL"), "CA": ("US", "GB", "FR"),
              "FR": ("BE", "CH", "CA"), "AU": ("NZ", "GB", "US")}


def _shares(r, weights: dict, noise: float = 0.3) -> list[tuple[str, float]]:
    """Weights × noise normalised to ratios summing to 1 (3 decimals)."""
    raw = {k: w * (1 - noise + 2 * noise * r.random()) for k, w in weights.items()}
    total = sum(raw.values())
    return [(k, round(v / total, 3)) for k, v in raw.items()]


def _sub_id(name: str) -> str:
    return str(900_000_000_000 + key64("subcategory", name) % 99_999_999_999)


def _categories(r, baseline: bool) -> list[dict]:
    names = r.sample(list(cat.AUDIENCE_CATEGORIES), 8)
    out = []
    for name in names:
        category_id, subs = cat.AUDIENCE_CATEGORIES[name]
        ratio = round(0.05 + 0.55 * r.random(), 3)
        subcategories = [{"key": _sub_id(s), "name": s, "ratio": round(ratio * (0.2 + 0.6 * r.random()), 3),
                          "index": 1.0 if baseline else round(0.6 + 2.0 * r.random(), 2), "id": _sub_id(s)}
                         for s in subs]
        out.append({"key": category_id, "name": name, "ratio": ratio,
                    "index": 1.0 if baseline else round(0.7 + 1.7 * r.random(), 2), "id": category_id,
                    "subcategories": subcategories})
    return sorted(out, key=lambda c: -c["ratio"])


def _demographics(r, country: str) -> dict:
    countries = [country] + [c for c in NEIGHBOURS.get(country, ("US", "GB", "CA")) if c != country]
    metro_names = cat.US_DMAS if country == "US" else cat.METROS.get(country, {})
    metros = dict(list(metro_names.items())[:6])
    values = {
        "ages": ({a: cat.AGE_SHARES[a] for a in cat.AGE_SHARES if a not in cat.OVERLAPPING_AGES}, cat.AGE_BUCKETS),
        "genders": (cat.GENDER_SHARES, cat.GENDERS),
        "devices": ({d: cat.APPTYPE_SHARES[d] for d in cat.DEVICES}, cat.DEVICES),
        "metros": ({m: 1.0 / (i + 2) for i, m in enumerate(metros)}, metros),
        "countries": ({c: (1.0 if i == 0 else 0.06) for i, c in enumerate(countries)}, cat.COUNTRIES),
    }
    out = {}
    for dimension, (weights, names) in values.items():
        shares = _shares(r, weights) if weights else []
        key = (lambda k: k.lower()) if dimension == "countries" else (lambda k: k)
        out[dimension] = [{"key": key(k), "name": names.get(k, k), "ratio": v} for k, v in shares]
    return out


def audience_insights(seed: int, account: dict, insight_type: str, today: date) -> dict:
    """The ``AudienceInsightsResponse`` body."""
    r = rng(seed, account["id"], insight_type, "audience")
    total = int(800_000 + 3_700_000 * rng(seed, account["id"], "audience-size").random())
    if insight_type == "PINTEREST_TOTAL_AUDIENCE":
        size, upper = PINTEREST_AUDIENCE, True
    elif insight_type == "YOUR_ENGAGED_AUDIENCE":
        size = int(total * (0.05 + 0.1 * r.random()))
        size, upper = -(-size // 1000) * 1000, True
    else:
        size, upper = -(-total // 10_000) * 10_000, True
    return {
        "categories": _categories(r, insight_type == "PINTEREST_TOTAL_AUDIENCE"),
        "demographics": _demographics(r, account.get("country") or "US"),
        "type": insight_type,
        "date": (today - timedelta(days=2)).isoformat(),
        "size": size,
        "size_is_upper_bound": upper,
    }


def audience_definitions(today: date) -> dict:
    """The ``AudienceDefinitionResponse`` body: the (type, scope) pairs available."""
    day = (today - timedelta(days=2)).isoformat()
    pairs = (("IMPRESSION_PLUS_ENGAGEMENT", "PARTNER"), ("ENGAGEMENT", "PARTNER"),
             ("IMPRESSION_PLUS_ENGAGEMENT", "PINTEREST"))
    return {"items": [{"date": day, "type": t, "scope": s} for t, s in pairs]}
