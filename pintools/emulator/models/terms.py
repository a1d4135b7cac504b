"""Related and suggested terms (``terms/related``, ``terms/suggested``, digest §11.3).

Pinterest's term graph is not public; the emulator builds terms from the input and a fixed
list of modifiers, picked by the seed (demo data). ``suggested_terms`` completes the term
(its results start with it), ``related_terms`` gives 3..6 terms per input term.

Example:
    >>> body = related_terms(1, ["clothes", "workout"])
    >>> body["id"], [t["term"] for t in body["related_terms_list"]]
    ('clothes', ['clothes', 'workout'])
    >>> all(s.startswith("sofa") for s in suggested_terms(1, "sofa", 4))
    True
"""

from __future__ import annotations

from pintools.emulator.models.hashing import rng

MODIFIERS = ("ideas", "aesthetic", "inspiration", "diy", "for small spaces", "for beginners", "outfits", "decor",
             "minimalist", "vintage", "on a budget", "trends", "recipes", "colors", "hacks", "gift ideas")
MAX_SUGGESTED = 10  # the spec's limit maximum
DEFAULT_SUGGESTED = 4  # the spec's limit default


def _related(seed: int, term: str) -> list[str]:
    r = rng("terms-related", seed, term.lower())
    return [f"{term} {m}" for m in r.sample(MODIFIERS, r.randint(3, 6))]


def related_terms(seed: int, terms: list[str]) -> dict:
    """``RelatedTerms``: the first term as ``id``, one entry per distinct term, the total count.

    Example:
        >>> related_terms(1, ["rug", "rug"])["related_terms_list"][0]["term"]
        'rug'
    """
    distinct = list(dict.fromkeys(terms))
    entries = [{"term": t, "related_terms": _related(seed, t)} for t in distinct]
    return {"id": distinct[0], "related_term_count": sum(len(e["related_terms"]) for e in entries),
            "related_terms_list": entries}


def suggested_terms(seed: int, term: str, limit: int) -> list[str]:
    """``TermsSuggestedResponse``: up to ``limit`` completions of ``term``.

    Example:
        >>> len(suggested_terms(1, "rug", 10))
        10
    """
    r = rng("terms-suggested", seed, term.lower())
    return [f"{term} {m}" for m in r.sample(MODIFIERS, min(limit, len(MODIFIERS)))]
