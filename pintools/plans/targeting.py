"""Targeting values checked against what Pinterest offers, before anything is sent.

A plan's new targeting values (those a row adds to an ad group, or a new ad group brings) are
looked up once per plan:

* ``INTEREST``, ``LOCATION``, ``LOCALE``, ``GEO`` — among Pinterest's targeting options for that
  type (``GET /resources/targeting/{type}``: the API's own list, e.g. ISO 3166 countries and
  the US DMA codes for LOCATION);
* ``AGE_BUCKET``, ``GENDER``, ``APPTYPE`` — the spec's enums (checked with the spec's shape
  rules by :func:`pintools.plans.checks.targeting_problems`);
* ``AUDIENCE_INCLUDE`` / ``AUDIENCE_EXCLUDE`` — among the ad account's audiences and customer
  lists; one with fewer than 100 people is refused in Pinterest's words ("Audience lists need to
  have at least 100 people with Pinterest accounts in them").

Every bad value is reported at once, with the valid alternatives nearest to it.

>>> vocab = Vocabulary(options={"LOCATION": {"US": "United States", "GB": "United Kingdom"}})
>>> value_problems({"LOCATION": ["US"]}, {"LOCATION": ["US", "UK", "GB"]}, vocab, "9")
["LOCATION 'UK' is not a targeting option; nearest: 'GB' (United Kingdom), 'US' (United States)"]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..frames.rows import row_dicts

if TYPE_CHECKING:
    from ..client import Client

OPTION_TYPES = ("INTEREST", "LOCATION", "LOCALE", "GEO")
AUDIENCE_TYPES = ("AUDIENCE_INCLUDE", "AUDIENCE_EXCLUDE")
MIN_AUDIENCE = 100
TOO_SMALL = "Audience lists need to have at least 100 people with Pinterest accounts in them"


@dataclass
class Vocabulary:
    """What may be targeted: option ids by type, and each account's audiences (id → facts)."""

    options: dict[str, dict[str, str]] = field(default_factory=dict)
    audiences: dict[str, dict[str, dict]] = field(default_factory=dict)


def added_values(before: Any, after: Any) -> dict[str, list]:
    """The values ``after`` targets that ``before`` did not, by targeting type.

    >>> added_values({"GENDER": ["male"]}, {"GENDER": ["male", "female"], "LOCALE": ["de"]})
    {'GENDER': ['female'], 'LOCALE': ['de']}
    """
    before = before if isinstance(before, Mapping) else {}
    after = after if isinstance(after, Mapping) else {}
    added = {}
    for key, values in after.items():
        if not isinstance(values, list):
            continue
        old = {str(v) for v in before.get(key) or []} if isinstance(before.get(key), list) else set()
        new = [v for v in values if str(v) not in old]
        if new:
            added[key] = new
    return added


def needed(changes: pd.DataFrame) -> tuple[set[str], set[str]]:
    """The option types and the ad accounts (for audiences) a plan's new targeting values need."""
    types: set[str] = set()
    accounts: set[str] = set()
    touching = changes[((changes["field"] == "targeting_spec") | (changes["action"] == "create")).fillna(False)]
    for r in row_dicts(touching, ["action", "field", "before", "after", "ad_account_id"]):
        if r["field"] == "targeting_spec":
            added = added_values(r["before"], r["after"])
        elif r["action"] == "create" and isinstance(r["after"], Mapping):
            added = added_values({}, r["after"].get("targeting_spec"))
        else:
            continue
        types |= set(added) & set(OPTION_TYPES)
        if set(added) & set(AUDIENCE_TYPES):
            accounts.add(str(r["ad_account_id"]))
    return types, accounts


def load_vocabulary(client: "Client", changes: pd.DataFrame) -> Vocabulary:
    """Read the targeting options and audiences ``changes`` needs (nothing when it needs none)."""
    types, accounts = needed(changes)
    vocab = Vocabulary()
    if types:
        from ..insights import read_targeting_options

        for kind in sorted(types):
            options = read_targeting_options(kind, client=client)
            vocab.options[kind] = dict(zip(options["id"], options["label"], strict=True))
    if accounts:
        from ..audiences import read_audiences, read_customer_lists
    for account in sorted(accounts):
        found: dict[str, dict] = {}
        for frame, what in ((read_audiences(account, client=client), "audience"),
                            (read_customer_lists(account, client=client), "customer list")):
            for rec in frame.to_dict("records"):
                size = rec.get("size")  # customer lists have no size: their status says TOO_SMALL
                found[str(rec["id"])] = {"name": rec.get("name"), "kind": what, "status": rec.get("status"),
                                         "size": None if size is None or pd.isna(size) else int(size)}
        vocab.audiences[account] = found
    return vocab


def _nearest(value: Any, choices: Mapping[str, str], n: int = 3) -> str:
    """The choices nearest to ``value``: by id, by label, and by a label's initials ('UK')."""
    text = str(value)
    by_id = difflib.get_close_matches(text, list(choices), n=n, cutoff=0.5)
    labels = {str(label).lower(): key for key, label in choices.items()}
    by_label = [labels[x] for x in difflib.get_close_matches(text.lower(), list(labels), n=n, cutoff=0.5)]
    initials = [key for key, label in choices.items()
                if len(text) > 1 and "".join(w[0] for w in str(label).split() if w[:1].isalpha()).lower() == text.lower()]
    picks = list(dict.fromkeys(initials + by_label + by_id))[:n]
    return ", ".join(f"{p!r} ({choices[p]})" if choices[p] and choices[p] != p else repr(p) for p in picks)


def value_problems(before: Any, after: Any, vocab: Vocabulary, account: str) -> list[str]:
    """Why the values ``after`` adds to ``before`` cannot be targeted (all of them at once)."""
    problems = []
    for key, values in added_values(before, after).items():
        if key in OPTION_TYPES and key in vocab.options:
            choices = vocab.options[key]
            problems += [f"{key} {v!r} is not a targeting option" + (f"; nearest: {_nearest(v, choices)}"
                                                                     if _nearest(v, choices) else "")
                         for v in values if str(v) not in choices]
        elif key in AUDIENCE_TYPES and account in vocab.audiences:
            problems += _audience_problems(key, values, vocab.audiences[account], account)
    return problems


def _audience_problems(key: str, values: Iterable[Any], audiences: Mapping[str, dict], account: str) -> list[str]:
    problems = []
    names = {k: (a.get("name") or "") for k, a in audiences.items()}
    for v in values:
        found = audiences.get(str(v))
        if found is None:
            near = _nearest(v, names)
            problems.append(f"{key} {v!r} is neither an audience nor a customer list of ad account {account}"
                            + (f"; nearest: {near}" if near else "") + " (pt.read_audiences and "
                            "pt.read_customer_lists list them)")
        elif (found["size"] is not None and found["size"] < MIN_AUDIENCE) or found.get("status") == "TOO_SMALL":
            people = f"has {found['size']} people" if found["size"] is not None else "is TOO_SMALL"
            problems.append(f"{key} {v!r} ({found['kind']} {found['name']!r}) {people}: {TOO_SMALL}")
    return problems
