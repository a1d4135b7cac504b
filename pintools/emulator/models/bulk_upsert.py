"""Running a bulk upsert: every item through the same model rules as the batch endpoints.

Order: creates before updates; within each, campaigns → ad_groups → ads → product_groups →
keywords, every list in input order (digest §13.1). Each item runs the model function its own
endpoint runs (``create_one`` / ``update_one`` of campaigns, ad groups, ads and keywords), so a
bulk item and a PATCH/POST item with the same content succeed or fail alike, with the same
message, the same bid-floor check and the same ``updated_time`` bump. Items are independent.
A ``KeywordsRequest`` item becomes one unit per keyword, and a ``ProductGroupPromotionCreate/
UpdateRequest`` item one unit per entry of its ``product_group_promotion`` (a malformed one,
e.g. without ``parent_id`` / ``ad_group_id``, one failed unit); these units carry ``sub_index``.

Result records (the emulator's own shape), one per unit, in execution order::

    {"entity_type": "CAMPAIGN" | "AD_GROUP" | "AD" | "PRODUCT_GROUP" | "KEYWORD",
     "action": "CREATE" | "UPDATE",
     "index": 3,                  # position of the item in its input list
     "sub_index": 0,              # keyword creates and product groups: position in the item's list (null if malformed)
     "id": "626735565838",        # the new id of a create, the id an update names; null when unknown
     "status": "SUCCEEDED" | "FAILED",
     "errors": [{"code": 1, "message": "..."}]}   # [] on success

Result file. The spec does not define it: it only says ``result_url`` lets you "download the
new or updated entity data" (digest §13.2 / §17 #9). None of the shapes below is Pinterest's;
they are **the emulator's guesses**, chosen on the control plane (``result_format``) so that a
client can be tested against each and taught to treat the file as a hint only (decide outcomes
by reading the entities back). See :func:`result_file`:

- ``"records"`` (default): the JSON array of result records above;
- ``"entities"``: a JSON object with always the same four keys, in this order,
  ``{"CAMPAIGN": [...], "AD_GROUP": [...], "AD": [...], "KEYWORD": [...]}`` (a list may be
  empty), holding each entity the job created or updated successfully, once, in execution order
  of its first successful unit, rendered exactly as the GET endpoints render it right after the
  job (the same renderers as the bulk download's JSON file; written product groups are left out);
- ``"csv"``: the same entity data as CSV, laid out like the bulk download's CSV file
  (:func:`pintools.emulator.models.bulk_download.to_csv`: first column ``entity_type``, then the
  union of the entities' fields; only a header row ``entity_type`` when nothing was written),
  served as ``result.csv`` with content type ``text/csv``;
- ``"empty"``: a zero-byte file (served as ``result.json``, ``application/json``);
- ``"garbage"``: :data:`GARBAGE`, bytes that are neither JSON nor CSV (served as
  ``result.json``, ``application/json``: the label promises what the body is not).

The poll's ``include_details=true`` extension keeps answering the per-item records whatever the
file's shape.

Injected behaviour (control plane, :mod:`pintools.emulator.models.bulk`): ``fail_items`` names
units that fail with code 1 "Injected failure." and are not applied: an update by the entity id
it names (keyword and product group updates by their own id), a create by ``"<list>:<index>"``
(every keyword or product group of the item). ``kill_after=N`` applies the first N units, then the job dies: the remaining units
are FAILED with "The bulk job was terminated before this item was processed.".

Example:
    >>> units = plan({"update": {"ads": [{"id": "5"}]}, "create": {"campaigns": [{"name": "x"}]}})
    >>> [(u.action, u.list_name, u.index) for u in units]
    [('create', 'campaigns', 0), ('update', 'ads', 0)]
    >>> records, died = run(units, lambda unit: "9", fail_items={"5"}, kill_after=None)
    >>> [(r["action"], r["status"], r["id"]) for r in records], died
    ([('CREATE', 'SUCCEEDED', '9'), ('UPDATE', 'FAILED', '5')], False)
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from pintools.emulator.errors import ITEM_INVALID_CODE, ItemError
from pintools.emulator.models.bulk_download import to_file
from pintools.emulator.models.bulk_request import ACTIONS, ENTITY_TYPE_OF, LISTS
from pintools.emulator.models.keywords import request_problem
from pintools.emulator.models.product_groups import body_problem

INJECTED_MESSAGE = "Injected failure."
TERMINATED_MESSAGE = "The bulk job was terminated before this item was processed."
RESULT_FORMATS = ("records", "entities", "csv", "empty", "garbage")
WRITTEN_TYPES = ("CAMPAIGN", "AD_GROUP", "AD", "KEYWORD")
GARBAGE = b"\x00\xff<html>not a result file</html>\x00"


@dataclass(frozen=True)
class Unit:
    """One unit of work, and one record of the result file."""

    action: str
    list_name: str
    index: int
    item: Any
    sub_index: int | None = None
    parent_id: str | None = None
    problem: str | None = None

    @property
    def fail_key(self) -> str | None:
        """The ``fail_items`` entry that names this unit.

        Example:
            >>> Unit("create", "ad_groups", 7, {}).fail_key, Unit("update", "ads", 0, {"id": "12"}).fail_key
            ('ad_groups:7', '12')
        """
        if self.action == "create":
            return f"{self.list_name}:{self.index}"
        return named_id(self.item)

    def record(self, entity_id: str | None, error: ItemError | None) -> dict:
        """The result-file record of this unit."""
        record: dict = {"entity_type": ENTITY_TYPE_OF[self.list_name], "action": self.action.upper(),
                        "index": self.index}
        if (self.action == "create" and self.list_name == "keywords") or self.list_name == "product_groups":
            record["sub_index"] = self.sub_index
        record.update(id=entity_id, status="FAILED" if error else "SUCCEEDED",
                      errors=[error.as_exception()] if error else [])
        return record


def named_id(item) -> str | None:
    """The ``id`` an update item names, when it is a string.

    Example:
        >>> named_id({"id": "5"}), named_id({"id": 5}), named_id(None)
        ('5', None, None)
    """
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def plan(request: dict[str, dict[str, list]]) -> list[Unit]:
    """The units of a parsed upsert (see :func:`pintools.emulator.models.bulk_request.parse_upsert`)."""
    units = []
    for action in ACTIONS:
        for name in LISTS:
            for index, item in enumerate(request.get(action, {}).get(name, ())):
                if action == "create" and name == "keywords":
                    units.extend(_keyword_units(index, item))
                elif name == "product_groups":
                    units.extend(_product_group_units(action, index, item))
                else:
                    units.append(Unit(action, name, index, item))
    return units


def _keyword_units(index: int, item) -> list[Unit]:
    problem = request_problem(item)
    if problem:
        return [Unit("create", "keywords", index, item, problem=problem)]
    return [Unit("create", "keywords", index, keyword, sub_index=n, parent_id=item["parent_id"])
            for n, keyword in enumerate(item["keywords"])]


def _product_group_units(action: str, index: int, item) -> list[Unit]:
    problem = body_problem(item)
    if problem:
        return [Unit(action, "product_groups", index, item, problem=problem)]
    return [Unit(action, "product_groups", index, entry, sub_index=n, parent_id=item["ad_group_id"])
            for n, entry in enumerate(item["product_group_promotion"])]


def applier(account_id: str, campaigns, ad_groups, ads, keywords,
            product_groups=None) -> Callable[[Unit], str | None]:
    """``apply(unit) -> entity id`` through the models' own create/update rules (ItemError on failure)."""
    models = {"campaigns": campaigns, "ad_groups": ad_groups, "ads": ads}

    def apply(unit: Unit) -> str | None:
        if unit.problem:
            raise ItemError(unit.problem)
        if unit.list_name == "product_groups":
            write = product_groups.create_one if unit.action == "create" else product_groups.update_one
            return write(account_id, unit.parent_id, unit.item)["id"]
        if unit.list_name == "keywords":
            if unit.action == "create":
                return keywords.create_one(account_id, unit.parent_id, unit.item)["id"]
            return keywords.update_one(account_id, unit.item)["id"]
        model = models[unit.list_name]
        write = model.create_one if unit.action == "create" else model.update_one
        return write(account_id, unit.item)["id"]

    return apply


def run(units: list[Unit], apply: Callable[[Unit], str | None], fail_items: Collection[str] = (),
        kill_after: int | None = None) -> tuple[list[dict], bool]:
    """Apply the units in order: ``(result records, whether the job died)``."""
    records = []
    fail = set(fail_items or ())
    for position, unit in enumerate(units):
        fallback = None if unit.action == "create" else named_id(unit.item)
        if kill_after is not None and position >= kill_after:
            records.append(unit.record(fallback, ItemError(TERMINATED_MESSAGE, ITEM_INVALID_CODE)))
            continue
        if unit.fail_key is not None and unit.fail_key in fail:
            records.append(unit.record(fallback, ItemError(INJECTED_MESSAGE, ITEM_INVALID_CODE)))
            continue
        try:
            entity_id = apply(unit)
        except ItemError as exc:
            records.append(unit.record(fallback, exc))
            continue
        records.append(unit.record(entity_id, None))
    died = kill_after is not None and kill_after < len(units)
    return records, died


def no_entities() -> dict[str, list]:
    """The ``entities`` file of a job that wrote nothing.

    Example:
        >>> no_entities()
        {'CAMPAIGN': [], 'AD_GROUP': [], 'AD': [], 'KEYWORD': []}
    """
    return {entity_type: [] for entity_type in WRITTEN_TYPES}


def written_ids(records: list[dict]) -> dict[str, list[str]]:
    """``{entity type: [id]}`` of the entities that succeeded, each once, in first-success order.

    Example:
        >>> written_ids([{"entity_type": "AD", "id": "5", "status": "SUCCEEDED"},
        ...              {"entity_type": "AD", "id": "6", "status": "FAILED"},
        ...              {"entity_type": "AD", "id": "5", "status": "SUCCEEDED"}])
        {'CAMPAIGN': [], 'AD_GROUP': [], 'AD': ['5'], 'KEYWORD': []}
    """
    out = no_entities()
    for record in records:
        ids = out.get(record["entity_type"])
        if ids is not None and record["status"] == "SUCCEEDED" and record["id"] is not None \
                and record["id"] not in ids:
            ids.append(record["id"])
    return out


def result_file(records: list[dict], result_format: str,
                render_written: Callable[[dict[str, list[str]]], dict[str, list[dict]]]) -> bytes:
    """The result file's bytes in ``result_format`` (the emulator's guesses, see the module doc).

    ``render_written({entity type: [id]}) -> {entity type: [entity]}`` renders the written
    entities as the GET endpoints do (used by ``entities`` and ``csv`` only).

    Example:
        >>> records = [{"entity_type": "AD", "id": "5", "status": "SUCCEEDED"}]
        >>> render = lambda ids: {t: [{"id": i} for i in found] for t, found in ids.items()}
        >>> result_file(records, "entities", render)
        b'{"CAMPAIGN":[],"AD_GROUP":[],"AD":[{"id":"5"}],"KEYWORD":[]}'
        >>> result_file(records, "csv", render)
        b'entity_type,id\\r\\nAD,5\\r\\n'
        >>> result_file(records, "empty", render), result_file(records, "garbage", render) == GARBAGE
        (b'', True)
    """
    if result_format == "records":
        return to_file(records, "JSON")
    if result_format == "empty":
        return b""
    if result_format == "garbage":
        return GARBAGE
    if result_format not in ("entities", "csv"):
        raise ValueError(f"unknown result_format {result_format!r}")
    entities = render_written(written_ids(records))
    return to_file(entities, "CSV" if result_format == "csv" else "JSON")
