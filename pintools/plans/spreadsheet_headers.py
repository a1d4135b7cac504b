"""Spreadsheet headers for :mod:`pintools.plans.spreadsheet`: the alias table and what a header means.

Headers are matched case-, space-, underscore- and punctuation-insensitively (``"AdGroup Id"``,
``"ad_group_id"`` and ``"Ad group ID"`` are one header); a trailing ``(…)`` names the currency
(``"Bid (USD)"``, ``"Bid ($)"``, ``"Bid (¢)"`` in cents), ``micro`` (``"Bid (micro)"``) or the
time zone of a date column (``"(UTC)"``).

>>> resolve_header("Bid (USD)").targets["ad_group"].column, resolve_header("Bid (USD)").currency
('bid_in_micro_currency', 'USD')
>>> resolve_header("Max CPC bid").targets["keyword"].kind
'refused'
>>> resolve_header("Stauts").reason
"unknown column; did you mean 'Status'?"
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from .fields import EDITABLE, FRAME_COLUMNS, KEYWORD_BIDS_IGNORED
from .spreadsheet_cells import Target, currency_mark

ENTITY_LABELS = {"campaign": "Campaigns", "ad_group": "Ad groups", "ad": "Ads", "keyword": "Keywords"}
ID_HEADERS = {"campaign": "Campaign ID", "ad_group": "Ad group ID", "ad": "Ad ID", "keyword": "Keyword ID"}
#: most specific first: a sheet with "Keyword ID" and "Ad group ID" columns holds keywords
SPECIFICITY = ("keyword", "ad", "ad_group", "campaign")
#: id columns that a sheet of this entity type may carry as read-only context
PARENTS = {"campaign": (), "ad_group": ("campaign",), "ad": ("ad_group", "campaign"),
           "keyword": ("ad_group", "campaign")}
#: why a keyword Bid column or cell is refused
KEYWORD_BID_REFUSED = f"{KEYWORD_BIDS_IGNORED} (the Bid column of the Ad groups sheet)"


@dataclass
class Header:
    """A header as written, its role and, for fields, the target per entity type."""

    text: str
    role: str                      # id, parent, account, entity, currency, notes, field, value, kwtext,
    entity: str | None = None      # target, blank or unknown
    targets: dict[str, Target] = field(default_factory=dict)
    currency: str | None = None    # the currency mark of a money header: "USD", "$", "¢" …
    reason: str = ""


def norm(text: object) -> str:
    """``"Ad group ID"`` → ``"adgroupid"``."""
    return re.sub(r"[^0-9a-z]", "", str(text).casefold())


def column_letter(index: int) -> str:
    """``0`` → ``"A"``, ``27`` → ``"AB"``."""
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


# ------------------------------------------------------------------------------------------ the alias table
_ROLES = {
    ("ID", "Entity ID"): ("id", None), ("Campaign ID",): ("id", "campaign"), ("Ad group ID",): ("id", "ad_group"),
    ("Ad ID", "Pin promotion ID"): ("id", "ad"), ("Keyword ID",): ("id", "keyword"), ("Parent ID",): ("parent", None),
    ("Ad account ID", "Account ID", "Ad account"): ("account", None),
    ("Entity type", "Entity", "Level", "Object type"): ("entity", None),
    ("Currency",): ("currency", None), ("Notes", "Note", "Comment", "Comments"): ("notes", None),
    ("Field", "Attribute", "Setting"): ("field", None), ("Value", "New value", "After"): ("value", None),
    ("Keyword", "Keyword text", "Text"): ("kwtext", None),
}
_BUDGET = "budget_in_micro_currency"
_KEYWORD_BID = "refused:bid"
_FRIENDLY = {
    ("Name",): {"campaign": "name", "ad_group": "name", "ad": "name"},
    ("Campaign name",): {"campaign": "name"}, ("Ad group name",): {"ad_group": "name"}, ("Ad name",): {"ad": "name"},
    ("Status",): {"campaign": "status", "ad_group": "status", "ad": "status", "keyword": "archived:status"},
    ("Bid", "Max bid", "CPC bid", "Max CPC bid", "Bid amount"):
        {"ad_group": "bid_in_micro_currency", "keyword": _KEYWORD_BID},
    ("Ad group bid",): {"ad_group": "bid_in_micro_currency"}, ("Keyword bid",): {"keyword": _KEYWORD_BID},
    ("Budget",): {"ad_group": _BUDGET, "campaign": "daily_spend_cap_micro"},
    ("Daily budget", "Daily cap", "Daily spend cap"): {"ad_group": _BUDGET + "@DAILY",
                                                      "campaign": "daily_spend_cap_micro"},
    ("Lifetime budget", "Lifetime cap", "Lifetime spend cap", "Total budget"):
        {"ad_group": _BUDGET + "@LIFETIME", "campaign": "lifetime_spend_cap_micro"},
    ("Budget type",): {"ad_group": "budget_type"},
    ("Start date", "Start time", "Start", "Start date time"): {"campaign": "start_time", "ad_group": "start_time"},
    ("End date", "End time", "End", "End date time"): {"campaign": "end_time", "ad_group": "end_time"},
    ("Match type",): {"keyword": "match_type"}, ("Archived",): {"keyword": "archived"},
}
_COLUMN_OF = {e: {api: col for col, api in cols.items()} for e, cols in FRAME_COLUMNS.items()}
_REFUSED_BID = Target("bid", "refused", reason=KEYWORD_BID_REFUSED)


def _target(entity: str, spec: str, *, exact: bool = False) -> Target:
    spec, _, budget = spec.partition("@")
    if spec == "archived:status":
        return Target("archived", "kwstatus")
    if spec == _KEYWORD_BID:
        return _REFUSED_BID
    rule = EDITABLE[(entity, FRAME_COLUMNS[entity].get(spec, spec))]
    allowed = rule.allowed + (("DRAFT",) if spec == "status" else ())  # DRAFT: only where it already is
    return Target(spec, rule.kind, micro=exact and rule.kind == "money", budget=budget or None,
                  raw_time=exact and rule.kind == "time", allowed=allowed)


def _tables() -> tuple[dict, dict, dict, dict]:
    roles = {norm(a): role for labels, role in _ROLES.items() for a in labels}
    friendly = {norm(a): {e: _target(e, s) for e, s in m.items()} for labels, m in _FRIENDLY.items() for a in labels}
    labels = {norm(a): a for group in list(_ROLES) + list(_FRIENDLY) for a in group}
    exact: dict[str, dict[str, Target]] = {}   # snake_case frame column / API field → micro, Unix seconds
    for (entity, api), rule in EDITABLE.items():
        if rule.kind == "targeting":
            continue
        column = _COLUMN_OF[entity].get(api, api)
        for name in {column, api} - {"bid"}:  # a "bid" header is the friendly one, in currency units
            keys = [name] + ([norm(name)] if "micro" in name else [])
            for key in keys:
                refused = entity == "keyword" and api == "bid"
                exact.setdefault(key, {})[entity] = _REFUSED_BID if refused else _target(entity, column, exact=True)
                labels.setdefault(norm(key), name)
    for key in ("bid_in_micro_currency", norm("bid_in_micro_currency")):
        exact.setdefault(key, {})["keyword"] = _REFUSED_BID
    return roles, friendly, exact, labels


_ROLE_OF, _FRIENDLY_OF, _EXACT_OF, _LABELS = _tables()


def known_headers() -> list[str]:
    """Every header the reader understands (one spelling each)."""
    return sorted(set(_LABELS.values()), key=str.casefold)


def editable_headers(entity: str) -> str:
    """The friendly headers that edit this entity type, for messages."""
    return ", ".join(labels[0] for labels, targets in _FRIENDLY.items()
                     if entity in targets and targets[entity] != _KEYWORD_BID)


def _annotation(text: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*", text)
    return (m.group(1), m.group(2).strip()) if m else (text, None)


def resolve_header(text: object) -> Header:
    """What a header means (see the module docstring of :mod:`pintools.plans.spreadsheet`)."""
    written = "" if text is None else str(text).strip()
    if not written:
        return Header(written, "blank")
    exact = _EXACT_OF.get(written.lower()) or ("micro" in written.lower() and _EXACT_OF.get(norm(written)))
    if exact:  # the frame / API name itself: money in micro, times also as Unix seconds
        friendly = {e: t for e, t in _FRIENDLY_OF.get(norm(written), {}).items() if t.kind not in ("money", "refused")}
        return Header(written, "target", targets={**friendly, **exact})
    base, note = _annotation(written)
    key = norm(base)
    if note is None and key in _ROLE_OF:
        return Header(written, _ROLE_OF[key][0], entity=_ROLE_OF[key][1])
    if key not in _FRIENDLY_OF:
        return Header(written, "unknown", reason=f"unknown column{_suggest(written)}")
    targets = dict(_FRIENDLY_OF[key])
    if note is None:
        return Header(written, "target", targets=targets)
    kinds = {t.kind for t in targets.values()} - {"refused"}
    if kinds == {"time"} and norm(note) in ("utc", "gmt", "z"):
        return Header(written, "target", targets=targets)
    if kinds == {"money"} and norm(note) in ("micro", "micros"):
        return Header(written, "target", targets={e: replace(t, micro=True) for e, t in targets.items()})
    mark = currency_mark(note) if kinds == {"money"} else None
    if mark:
        cents = {e: replace(t, cents=True) for e, t in targets.items()} if mark == "¢" else targets
        return Header(written, "target", targets=cents, currency=mark)
    return Header(written, "unknown", reason=f"unknown column: {base!r} does not take ({note}){_suggest(base)}")


def _suggest(text: str) -> str:
    close = difflib.get_close_matches(norm(text), list(_LABELS), n=1, cutoff=0.6)
    return f"; did you mean {_LABELS[close[0]]!r}?" if close else \
        " (the headers are listed in help(pintools.plans.spreadsheet); name a column Notes to keep notes)"
