"""Conversion tags (``conversion_tags/list|get|create``, 5.23.0 ``ConversionTag``).

Each accessible demo account gets its base tag (the one its conversion ad groups optimise for,
``conversion_tag_v3_goal_metadata.conversion_tag_id``) and an older, ``ARCHIVED`` test tag.
Names, fire times and match settings are the emulator's demo data, fixed by the seed.

``filter_deleted=true`` hides ``ARCHIVED`` tags: the spec names the flag but not the status it
hides, so treating ``ARCHIVED`` as "deleted" is the emulator's reading.

Example:
    >>> from pintools.emulator.models.state import EmulatorState
    >>> state = EmulatorState(seed=3)
    >>> account = next(a for a in state.store.accounts.values() if a["_accessible"])["id"]
    >>> [t["status"] for t in state.conversion_tags.list(account, filter_deleted=False)]
    ['ACTIVE', 'ARCHIVED']
"""

from __future__ import annotations

from pintools.emulator.errors import QueryError, not_found
from pintools.emulator.models.hashing import rng as seeded_rng

AEM_FLAGS = ("aem_db_enabled", "aem_enabled", "aem_external_id_enabled", "aem_fnln_enabled", "aem_ge_enabled",
             "aem_loc_enabled", "aem_ph_enabled")
DELETED_STATUSES = ("ARCHIVED",)
MAX_NAME = 255  # the emulator's cap; the spec gives none


def snippet(tag_id: str) -> str:
    """The base-code snippet of a tag (shape only; the emulator's text).

    Example:
        >>> "pintrk('load', '123')" in snippet("123")
        True
    """
    return (f"<script type=\"text/javascript\">!function(e){{/* pintag */}}(\"https://s.pinimg.com/ct/core.js\");"
            f"pintrk('load', '{tag_id}');pintrk('page');</script>")


def _account_tag(store, account_id: str) -> str | None:
    for group_id in store.children("ad_groups", account_id):
        goal = store.ad_groups[group_id].get("optimization_goal_metadata") or {}
        tag = (goal.get("conversion_tag_v3_goal_metadata") or {}).get("conversion_tag_id")
        if tag:
            return str(tag)
    return None


class ConversionTags:
    """The conversion tags of every ad account, keyed by tag id."""

    def __init__(self, store, seed: int, demo_epoch: int):
        self.items: dict[str, dict] = {}
        self._ids = seeded_rng("conversion-tag-ids", seed)
        for account in store.accounts.values():
            if not account.get("_accessible"):
                continue
            r = seeded_rng("conversion-tags", seed, account["id"])
            base = _account_tag(store, account["id"]) or str(r.randrange(10**12, 10**13))
            fired = (demo_epoch - r.randrange(0, 86_400)) * 1000
            self._add(account["id"], base, f"{account['name']} base tag", "ACTIVE", fired,
                      "VALIDATION_COMPLETE", {"aem_enabled": True, "aem_ph_enabled": r.random() < 0.5})
            old = str(r.randrange(10**12, 10**13))
            self._add(account["id"], old, f"{account['name']} checkout test tag", "ARCHIVED",
                      (demo_epoch - 86_400 * r.randrange(90, 300)) * 1000, "NOT_VALIDATED", {})

    def _add(self, account_id: str, tag_id: str, name: str, status: str, fired_ms, match_status, flags: dict,
             md_frequency: float | None = 1.0) -> dict:
        record = {"ad_account_id": account_id, "id": tag_id, "name": name, "status": status, "version": "3",
                  "code_snippet": snippet(tag_id), "enhanced_match_status": match_status,
                  "last_fired_time_ms": fired_ms,
                  "configs": {**{f: bool(flags.get(f, False)) for f in AEM_FLAGS}, "md_frequency": md_frequency,
                              "no_code_capi_domains": []}}
        self.items[tag_id] = record
        return record

    def list(self, account_id: str, filter_deleted: bool) -> list[dict]:
        """The account's tags, oldest id first; ``filter_deleted`` drops ``ARCHIVED`` ones."""
        rows = [r for r in self.items.values() if r["ad_account_id"] == account_id]
        if filter_deleted:
            rows = [r for r in rows if r["status"] not in DELETED_STATUSES]
        return [render(r) for r in sorted(rows, key=lambda r: (r["status"] != "ACTIVE", int(r["id"])))]

    def get(self, account_id: str, tag_id: str) -> dict:
        """One tag of the account; 404 code 2 "ConversionTag not found." otherwise."""
        record = self.items.get(tag_id)
        if record is None or record["ad_account_id"] != account_id:
            raise not_found("ConversionTag")
        return render(record)

    def create(self, account_id: str, body) -> dict:
        """A new ACTIVE tag from a ``ConversionTagCreate`` body (QueryError on a bad body)."""
        if not isinstance(body, dict):
            raise QueryError("The request body must be a JSON object.")
        unknown = sorted(set(body) - set(AEM_FLAGS) - {"name", "md_frequency"})
        if unknown:
            raise QueryError(f"Unknown field(s) {', '.join(unknown)}; a ConversionTagCreate takes name, "
                             f"md_frequency and {', '.join(AEM_FLAGS)}.")
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise QueryError("name is required (a non-empty string).")
        if len(name) > MAX_NAME:
            raise QueryError(f"name must be at most {MAX_NAME} characters (emulator's limit).")
        for flag in AEM_FLAGS:
            if body.get(flag) is not None and not isinstance(body[flag], bool):
                raise QueryError(f"{flag} must be true, false or null.")
        md = body.get("md_frequency", 1)
        if md is not None and (isinstance(md, bool) or not isinstance(md, (int, float)) or not 0 <= md <= 1):
            raise QueryError("md_frequency must be a number between 0 and 1, or null.")
        new_id = str(self._ids.randrange(10**12, 10**13))
        while new_id in self.items:
            new_id = str(self._ids.randrange(10**12, 10**13))
        return render(self._add(account_id, new_id, name.strip(), "ACTIVE", None, "NOT_VALIDATED", body,
                                None if md is None else float(md)))


def render(record: dict) -> dict:
    """The ``ConversionTag`` JSON of a record (a copy: editing it leaves the record alone).

    Example:
        >>> record = {"id": "1", "configs": {"no_code_capi_domains": []}}
        >>> render(record)["configs"] is record["configs"]
        False
    """
    return {**record, "configs": {**record["configs"], "no_code_capi_domains": list(record["configs"]
                                                                                    ["no_code_capi_domains"])}}
