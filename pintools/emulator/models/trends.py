"""Trending keywords (digest §11.2): ranked searches with growth figures and a weekly series.

Deterministic per seed and input (region, trend type, filters) and the emulator clock's date:

- candidates: the catalog's searches of the requested interests (all when none), plus variants
  ("… ideas", "… aesthetic", "… <this year>"), scored by how well the interest's audience matches
  ``genders`` / ``ages`` and by a stable hash; the best ``limit`` are kept;
- each keyword gets 52 weekly points (raw search volume) whose keys are the **end** dates of
  the weeks, the last one being yesterday; the curve follows the trend type (``growing``: a
  steep recent rise, a few "breakout" keywords starting near zero; ``monthly``: a recent jump;
  ``yearly``: steady; ``seasonal``: the interest's peak season) times weekly noise;
- ``pct_growth_wow`` (last week vs the one before), ``pct_growth_mom`` (last 4 weeks vs the 4
  before) and ``pct_growth_yoy`` (last week vs a year before) are rounded percentages, capped at
  ±10000, with 10001 meaning "more than 10000%";
- ``time_series`` values are 0..100: each keyword's own peak is 100, or with
  ``normalize_against_group`` the peak across all returned keywords is 100;
- order: growing and seasonal by month-over-month growth, monthly by last month's volume,
  yearly by the year's volume.

Example:
    >>> from datetime import date
    >>> body = trending_keywords(1, "US", "growing", ["home_decor"], None, None, 5, False, date(2024, 11, 1))
    >>> len(body["trends"]), len(body["trends"][0]["time_series"]), max(body["trends"][0]["time_series"].values())
    (5, 52, 100)
    >>> list(body["trends"][0]["time_series"])[-1]
    '2024-10-31'
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from pintools.emulator import trends_catalog as cat
from pintools.emulator.models.hashing import rng, unit

WEEKS = 52
GROWTH_CAP = 10_000
OVER_CAP = 10_001
AGES = ("18-24", "25-34", "35-44", "45-49", "50-54", "55-64", "65+")



def _affinity(interest: str, genders, ages) -> float:
    female, peak_age, _ = cat.PROFILE[interest]
    weight = 1.0
    if genders:
        shares = {"female": female, "male": max(0.02, 1.0 - female - 0.03), "unknown": 0.03}
        weight *= sum(shares[g] for g in set(genders))
    if ages:
        peak = AGES.index(peak_age)
        weight *= sum(1.0 / (1 + abs(AGES.index(a) - peak)) for a in set(ages)) / len(set(ages))
    return weight


def _candidates(interests, year: int) -> list[tuple[str, str, float]]:
    """``(keyword, interest, relevance)``: catalog searches first, then their variants."""
    out = []
    for interest in interests:
        for keyword in cat.KEYWORDS[interest]:
            out.append((keyword, interest, 1.0))
            out.extend((f"{keyword} {m}", interest, 0.55) for m in cat.MODIFIERS)
            out.append((f"{keyword} {year}", interest, 0.6))
    return list({k: (k, i, r) for k, i, r in out}.values())


def _season(interest: str, day: date, strength: float) -> float:
    peak_month = cat.PROFILE[interest][2]
    if not peak_month:
        return 1.0
    distance = (day.timetuple().tm_yday - (peak_month - 0.5) * 30.4) / 365.0
    return 1.0 + strength * max(0.0, math.cos(2 * math.pi * distance)) ** 3


def _raw_series(seed, region, trend_type, keyword, interest, ends: list[date]) -> list[float]:
    r = rng(seed, region, trend_type, keyword, "series")
    base = 10.0 + 90.0 * r.random()
    breakout = trend_type == "growing" and r.random() < 0.12
    growth, jump, phase = 0.5 + 8.0 * r.random(), 1.0 + 2.0 * r.random(), 6.28 * r.random()
    strength = 1.5 if trend_type == "seasonal" else 0.4
    values = []
    for i, end in enumerate(ends):
        x = i / (WEEKS - 1)
        if trend_type == "growing":
            shape = 0.002 + 50.0 * x**6 if breakout else 1.0 + growth * x**3
        elif trend_type == "monthly":
            shape = 1.0 + (jump if i >= WEEKS - 4 else 0.0)
        elif trend_type == "yearly":
            shape = 1.0 + 0.1 * math.sin(i / 8.0 + phase)
        else:
            shape = 1.0
        values.append(base * shape * _season(interest, end, strength) * (0.9 + 0.2 * r.random()))
    return values


def _pct(new: float, old: float) -> int:
    if old <= 0:
        return OVER_CAP
    change = round((new / old - 1.0) * 100)
    return OVER_CAP if change > GROWTH_CAP else max(-GROWTH_CAP, change)


def trending_keywords(seed: int, region: str, trend_type: str, interests, genders, ages, limit: int,
                      normalize_against_group: bool, today: date) -> dict:
    """The ``TrendingKeywordsResponse`` body (see the module doc)."""
    chosen = list(dict.fromkeys(interests or cat.KEYWORDS))
    ends = [today - timedelta(days=1 + 7 * (WEEKS - 1 - i)) for i in range(WEEKS)]
    scored = sorted(
        ((_affinity(interest, genders, ages) * relevance * (0.5 + unit(seed, region, trend_type, keyword)), keyword,
          interest) for keyword, interest, relevance in _candidates(chosen, today.year)),
        key=lambda item: (-item[0], item[1]))[:limit]
    trends = []
    for _, keyword, interest in scored:
        raw = _raw_series(seed, region, trend_type, keyword, interest, ends)
        last4, prev4 = sum(raw[-4:]), sum(raw[-8:-4])
        rank_key = {"monthly": -last4, "yearly": -sum(raw)}.get(trend_type, -(last4 / prev4))
        trends.append((rank_key, keyword, raw, {
            "keyword": keyword,
            "pct_growth_wow": _pct(raw[-1], raw[-2]),
            "pct_growth_mom": _pct(last4, prev4),
            "pct_growth_yoy": _pct(raw[-1], raw[0]),
        }))
    trends.sort(key=lambda t: (t[0], t[1]))
    group_peak = max((max(t[2]) for t in trends), default=1.0)
    out = []
    for _, _, raw, item in trends:
        peak = group_peak if normalize_against_group else max(raw)
        item["time_series"] = {end.isoformat(): int(round(100 * v / peak)) for end, v in zip(ends, raw, strict=True)}
        out.append(item)
    return {"trends": out}
