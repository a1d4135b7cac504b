"""Rules shared by campaigns, ad groups and ads: statuses, times, rendering, list filters.

Example:
    >>> summary_status({"status": "ACTIVE", "start_time": None, "end_time": 10}, now=20)
    'COMPLETED'
    >>> check_transition("ACTIVE", "ARCHIVED", "campaign")
"""

from __future__ import annotations

from pintools.emulator import enums
from pintools.emulator.errors import ItemError

MAX_FILTER_IDS = 250  # query_campaign_ids / query_ad_group_ids / query_ad_ids maxItems (5.23.0; 100 in 5.12.0)
MAX_BATCH_ITEMS = 30  # create/update request bodies: array 1..30


def render(record: dict) -> dict:
    """A copy of a record without its private (``_``-prefixed) keys.

    Example:
        >>> render({"id": "1", "_secret": 2})
        {'id': '1'}
    """
    return {key: value for key, value in record.items() if not key.startswith("_")}


def summary_status(record: dict, now: int) -> str:
    """Campaign/ad group ``summary_status`` from status and flight dates at ``now``."""
    status = record["status"]
    if status != "ACTIVE":
        return status
    end, start = record.get("end_time"), record.get("start_time")
    if end is not None and end <= now:
        return "COMPLETED"
    if start is not None and start > now:
        return "NOT_STARTED"
    return "RUNNING"


# Allowed status changes: drafts may go anywhere; live entities move between ACTIVE/PAUSED or
# get archived; archived and deleted drafts are final.
_TRANSITIONS = {
    "DRAFT": set(enums.ENTITY_STATUSES),
    "ACTIVE": {"ACTIVE", "PAUSED", "ARCHIVED"},
    "PAUSED": {"ACTIVE", "PAUSED", "ARCHIVED"},
    "ARCHIVED": set(),
    "DELETED_DRAFT": set(),
}
CREATE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT")


def check_updatable(status: str, noun: str) -> None:
    """Archived entities and deleted drafts accept no updates."""
    if status == "ARCHIVED":
        raise ItemError(f"Archived {noun}s cannot be updated.")
    if status == "DELETED_DRAFT":
        raise ItemError(f"Deleted draft {noun}s cannot be updated.")


def check_transition(old: str, new: str, noun: str) -> None:
    """Raise when ``old → new`` is not an allowed status change."""
    if new != old and new not in _TRANSITIONS[old]:
        raise ItemError(f"A {old} {noun} cannot become {new}.")


STOPPED_STATUSES = ("PAUSED", "ARCHIVED")


def track_pause(record: dict, new_status: str, now: int) -> None:
    """Remember when a campaign/ad group/ad stopped delivering (``_paused_since``, private).

    Set when it becomes PAUSED or ARCHIVED (kept if it already was), cleared when it goes back
    to ACTIVE. Analytics stop an entity's delivery after that day (see ``delivery.py``).

    Example:
        >>> r = {"status": "ACTIVE"}; track_pause(r, "PAUSED", 100); r["_paused_since"]
        100
        >>> track_pause(r, "ACTIVE", 200); "_paused_since" in r
        False
    """
    if new_status in STOPPED_STATUSES:
        if record.get("status") not in STOPPED_STATUSES or record.get("_paused_since") is None:
            record["_paused_since"] = now
    else:
        record.pop("_paused_since", None)


def check_create_status(status: str, noun: str) -> None:
    """New entities start ACTIVE, PAUSED or DRAFT."""
    if status not in CREATE_STATUSES:
        raise ItemError(f"A new {noun} must have status ACTIVE, PAUSED or DRAFT.")


def check_flight(start: int | None, end: int | None) -> None:
    """``end_time`` must be after ``start_time`` when both are set."""
    if start is not None and end is not None and end <= start:
        raise ItemError("end_time must be after start_time.")


def next_updated_time(record: dict, now: int) -> int:
    """``updated_time`` after a successful update: now, and always later than before.

    Strictly increasing even under a fixed clock, so staleness checks can see every write.

    Example:
        >>> next_updated_time({"updated_time": 100}, now=100)
        101
    """
    return max(now, int(record.get("updated_time") or 0) + 1)


def status_filter(statuses: list[str] | None) -> tuple[str, ...]:
    """The statuses a list call shows: the given ones, else ACTIVE and PAUSED (§17 #19)."""
    return tuple(statuses) if statuses else enums.DEFAULT_LIST_STATUSES
