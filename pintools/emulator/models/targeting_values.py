"""Targeting breakdowns: the values of a targeting type for an entity, with their weights.

Values come from the entity's ad groups (``targeting_spec``, ``placement_group``, keywords) and
the account; each type is independent ("The reporting per targeting type is independent from
each other"):

- ``GENDER``, ``AGE_BUCKET``, ``APPTYPE``: the targeted values (all of them when untargeted),
  weighted by typical Pinterest shares;
- ``COUNTRY``: targeted countries (else the account's); ``REGION`` (``"US-CA"``) and ``GEO``
  (postal codes, ``"US:94102"``) of those countries; ``LOCATION``: US DMA codes (targeted ones,
  else the largest markets) and metro ids elsewhere – **numbers**, like ``AUDIENCE_INCLUDE``
  ids (as the spec example shows); every other value is a string;
- ``KEYWORD``: the live positive keywords of the ad groups (none → no rows), split per keyword
  (:func:`keyword_weight`, as the KEYWORD report splits them) and written as
  :func:`keyword_value` says (a control-plane switch, :data:`KEYWORD_VALUE_SHAPES`);
- ``PLACEMENT``: SEARCH / BROWSE / OTHER from ``placement_group``;
- ``TARGETED_INTEREST``: names of the targeted interests; ``PINNER_INTEREST``: six interests of
  the engaged people (stable per entity); ``AUDIENCE_INCLUDE``: the included audience ids.

Each base weight is jittered per (seed, entity, type, value) so entities differ.

Example:
    >>> group = {"id": "1", "targeting_spec": {"GENDER": ["female", "male"]}, "placement_group": "ALL"}
    >>> [v for v, _ in breakdown(None, 1, "9", [group], "US", "GENDER")]
    ['female', 'male']
    >>> [v for v, _ in breakdown(None, 1, "9", [group], "US", "PLACEMENT")]
    ['SEARCH', 'BROWSE', 'OTHER']
    >>> kw = {"id": "28", "value": "Velvet  Sofa", "match_type": "EXACT"}
    >>> [keyword_value(kw, shape) for shape in KEYWORD_VALUE_SHAPES]
    ['Velvet  Sofa', 'Velvet  Sofa', 'velvet sofa', '[Velvet  Sofa]', 'Velvet  Sofa (EXACT)', 28]
"""

from __future__ import annotations

from pintools.emulator import targeting_catalog as cat
from pintools.emulator.enums import NEGATIVE_MATCH_TYPES
from pintools.emulator.models.hashing import rng, unit
from pintools.emulator.models.store import Store

MATCH_WEIGHTS = {"EXACT": 0.6, "PHRASE": 0.9, "BROAD": 1.4}

#: How a KEYWORD ``targeting_value`` is written. The spec's one example is the keyword's text
#: (``"christmas decor ideas"``) and it says nothing of match types or of keywords sharing a text,
#: so ``"text"`` is the default and every other shape is the emulator's guess, there for clients to
#: be tried against (``POST /_emulator/analytics/behaviour {"keyword_targeting_value": ...}``).
#: Keywords of one entity whose values are equal share one value (their parts summed), except
#: with ``"text_per_keyword"``.
KEYWORD_VALUE_SHAPES = {
    "text": "the keyword's text (the spec's example)",
    "text_per_keyword": "the keyword's text, one value per keyword: a text may repeat in one entity and period",
    "lowercase": "the text lower-cased, runs of whitespace made one space",
    "notation": 'Ads Manager notation: BROAD velvet sofa, PHRASE "velvet sofa", EXACT [velvet sofa]',
    "suffix": "the text and the match type: velvet sofa (EXACT)",
    "keyword_id": "the keyword's id, a number (as LOCATION and AUDIENCE_INCLUDE values are)",
}


def _spec_values(groups: list[dict], key: str, everything) -> list[str]:
    """Union of a targeting key over ad groups; every value when any group leaves it open."""
    values: list[str] = []
    for group in groups:
        chosen = (group.get("targeting_spec") or {}).get(key)
        if not chosen:
            return list(everything)
        values.extend(chosen)
    return list(dict.fromkeys(values))


def _countries(groups: list[dict], account_country: str) -> list[str]:
    found = [v for g in groups for v in (g.get("targeting_spec") or {}).get("LOCATION", []) if v.isalpha()]
    return list(dict.fromkeys(found)) or [account_country]


def _dmas(groups: list[dict]) -> list[str]:
    return list(dict.fromkeys(v for g in groups for v in (g.get("targeting_spec") or {}).get("LOCATION", [])
                              if v.isdigit()))


def keyword_records(store: Store, groups: list[dict]) -> list[dict]:
    """Live positive keywords of some ad groups (the KEYWORD breakdown and report level)."""
    out = []
    for group in groups:
        for keyword_id in store.children("keywords", group["id"]):
            kw = store.keywords[keyword_id]
            if not kw["archived"] and kw["match_type"] not in NEGATIVE_MATCH_TYPES:
                out.append(kw)
    return out


def keyword_weight(seed: int, keyword: dict) -> float:
    """A keyword's share weight (match type × a stable per-keyword factor)."""
    return MATCH_WEIGHTS.get(keyword["match_type"], 1.0) * (0.3 + 1.4 * unit(seed, keyword["id"], "share"))


def keyword_value(keyword: dict, shape: str = "text") -> object:
    """A keyword's ``targeting_value`` in one of :data:`KEYWORD_VALUE_SHAPES`."""
    text, match_type = keyword["value"], keyword["match_type"]
    if shape == "lowercase":
        return " ".join(text.lower().split())
    if shape == "notation":
        return {"EXACT": f"[{text}]", "PHRASE": f'"{text}"'}.get(match_type, text)
    if shape == "suffix":
        return f"{text} ({match_type})"
    if shape == "keyword_id":
        return int(keyword["id"])
    if shape in ("text", "text_per_keyword"):
        return text
    raise ValueError(f"unknown keyword value shape {shape!r}")


def _raw(store, seed, entity_id, groups, country, ttype) -> list[tuple[object, float]]:
    if ttype == "GENDER":
        return [(v, cat.GENDER_SHARES.get(v, 0.1)) for v in _spec_values(groups, "GENDER", cat.GENDER_SHARES)]
    if ttype == "AGE_BUCKET":
        everything = [a for a in cat.AGE_SHARES if a not in cat.OVERLAPPING_AGES]
        return [(v, cat.AGE_SHARES.get(v, 0.1)) for v in _spec_values(groups, "AGE_BUCKET", everything)]
    if ttype == "AGE_BUCKET_AND_GENDER":  # 5.23.0 names the type, not the value's shape: our guess "25-34|female"
        ages = _raw(store, seed, entity_id, groups, country, "AGE_BUCKET")
        genders = _raw(store, seed, entity_id, groups, country, "GENDER")
        return [(f"{a}|{g}", wa * wg) for a, wa in ages for g, wg in genders]
    if ttype == "APPTYPE":
        return [(v, cat.APPTYPE_SHARES.get(v, 0.1)) for v in _spec_values(groups, "APPTYPE", cat.APPTYPE_SHARES)]
    if ttype == "PLACEMENT":
        merged: dict[str, float] = {}
        for group in groups:
            for value, share in cat.PLACEMENT_SHARES.get(group.get("placement_group") or "ALL", {}).items():
                merged[value] = merged.get(value, 0.0) + share
        return list(merged.items())
    countries = _countries(groups, country)
    if ttype == "COUNTRY":
        return [(c, 1.0 if i == 0 else 0.3) for i, c in enumerate(countries)]
    if ttype == "REGION":
        return [(code, float(w)) for c in countries for code, (_, w) in cat.REGIONS.get(c, {}).items()]
    if ttype == "GEO":
        return [(code, 1.0) for c in countries for code in cat.POSTAL_CODES.get(c, {})]
    if ttype == "LOCATION":
        out = []
        for c in countries:
            codes = (_dmas(groups) or list(cat.US_DMAS)[:8]) if c == "US" else list(cat.METROS.get(c, {}))
            out.extend((int(code), 1.0 / (rank + 2)) for rank, code in enumerate(codes))
        return out
    if ttype == "TARGETED_INTEREST":
        ids = _spec_values(groups, "INTEREST", ())
        return [(cat.INTERESTS.get(i, f"Interest {i}"), 1.0) for i in ids]
    if ttype == "PINNER_INTEREST":
        return [(name, 1.0) for name in rng(seed, entity_id, "pinner-interests").sample(cat.PINNER_INTERESTS, 6)]
    if ttype == "AUDIENCE_INCLUDE":
        ids = dict.fromkeys(v for g in groups for v in (g.get("targeting_spec") or {}).get("AUDIENCE_INCLUDE", []))
        return [(int(i), 1.0) for i in ids if str(i).isdigit()]
    raise ValueError(f"unknown targeting type {ttype!r}")


def breakdown(store: Store | None, seed: int, entity_id: str, groups: list[dict], account_country: str,
              ttype: str) -> list[tuple[object, float]]:
    """``[(targeting value, weight)]`` of one entity for one targeting type (may be empty);
    KEYWORD is split per keyword instead (see ``Analytics.breakdown_rows``)."""
    raw = _raw(store, seed, entity_id, groups, account_country or "US", ttype)
    return [(value, weight * (0.7 + 0.6 * unit(seed, entity_id, ttype, value))) for value, weight in raw if weight > 0]
