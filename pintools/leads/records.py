"""What one delivered lead becomes before it is filed: its dedupe key, its ciphertext fingerprint,
its decrypted answers (or why not), and the outcomes a store can give it.

Only ``answers`` is authenticated (by the AES-GCM tag); ``lead_id``, names and the other ids
around it are whatever the sender wrote. So a lead's identity is checked against its
ciphertext: the same ciphertext under another ``lead_id`` is a **replay**, a stored ``lead_id``
arriving with other answers is a **conflict**; both are held apart (never stored as leads,
never dropped) for a person to look at.

>>> dedupe_key({"lead_id": "TEST_API", "created_at": "1698380898000", "lead_form_id": "7"})
'TEST_API|1698380898000|7'
>>> Filed(key="1", item={}, digest="ab", answers={"EMAIL": "a@b.co"}).quarantine_key
'1|ab'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TEST_LEAD_ID = "TEST_API"
LEAD_FIELDS = ("lead_id", "advertiser_id", "lead_form_id", "ad_id", "campaign_id", "ad_group_id", "user_id",
               "lead_form_name", "campaign_name", "ad_group_name", "ad_name", "created_at", "version")

#: What filing an item can come to. ``replay`` and ``conflict`` are held, never stored as leads.
OUTCOMES = ("stored", "duplicate", "quarantined", "replay", "conflict")


def dedupe_key(lead: Mapping[str, Any]) -> str:
    """``lead_id``; for test leads (all ``"TEST_API"``) ``TEST_API|created_at|lead_form_id``."""
    lead_id = str(lead.get("lead_id"))
    if lead_id == TEST_LEAD_ID:
        return f"{TEST_LEAD_ID}|{lead.get('created_at')}|{lead.get('lead_form_id')}"
    return lead_id


def lead_problem(item: object) -> str | None:
    """Why ``item`` is not a webhook lead object, or ``None`` if it looks like one.

    >>> lead_problem({"lead_id": "1"})
    'no answers object'
    """
    if not isinstance(item, Mapping):
        return f"not a JSON object but a {type(item).__name__}"
    lead_id = item.get("lead_id")
    if not isinstance(lead_id, (str, int)) or isinstance(lead_id, bool) or not str(lead_id):
        return "no lead_id"
    if not isinstance(item.get("answers"), Mapping):
        return "no answers object"
    return None


def now_text() -> str:
    """The current UTC time as ISO text with milliseconds (how the stores date rows)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def as_ms(value: object) -> int | None:
    """``created_at`` (Unix milliseconds as text) as an int, or ``None``."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def as_text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Filed:
    """One delivered item, ready to file.

    ``key`` is its dedupe key (``delivery:<id>:<index>`` when it is not lead-shaped), ``digest``
    the fingerprint of its ciphertext (``None`` when it has none that decodes), ``answers`` the
    decrypted answers or ``None`` with ``error`` saying why, ``subscription_id`` the subscription
    whose key opened it. ``quarantine_key`` names its quarantine row (set when re-filing an old one).
    """

    key: str
    item: object
    digest: str | None = None
    answers: Mapping[str, Any] | None = None
    subscription_id: str | None = None
    error: str | None = None
    release: str | None = None

    @property
    def quarantine_key(self) -> str:
        if self.release is not None:
            return self.release
        return self.key if self.digest is None else f"{self.key}|{self.digest}"

    def lead_row(self) -> dict[str, Any]:
        """The lead's own fields as text (``None`` when absent)."""
        item = self.item if isinstance(self.item, Mapping) else {}
        return {f: as_text(item.get(f)) for f in LEAD_FIELDS}
