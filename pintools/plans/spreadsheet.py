"""Edit plans from spreadsheets: a CSV or XLSX of desired values → an :class:`EditPlan`.

>>> import pintools as pt
>>> path = pt.plans.template(acct, "bids.xlsx", entity_types=("ad_group",))   # doctest: +SKIP
>>> # … edit the Bid column in Excel, save …
>>> plan = pt.plans.from_spreadsheet("bids.xlsx")                              # doctest: +SKIP
>>> plan.validate()                                                            # doctest: +SKIP

**Files.** ``.csv`` (also ``.tsv``; UTF-8 or Windows-1252, comma, semicolon or tab) holds one
entity type, known from an ``Entity type`` column or from the id header (``Ad group ID`` ⇒ ad
groups; with several id headers the most specific is the id, the others are read-only parents).
``.xlsx`` holds one sheet per kind — ``Campaigns``, ``Ad groups``, ``Ads``, ``Keywords`` in any
case, with spaces or underscores — or sheets following the CSV rules; empty sheets are skipped.
Row 1 is the header. *Wide* rows carry an id and one column per field; *long* rows (a sheet
with ``Field`` and ``Value`` columns) carry an id, a field's header and its new value. Nothing
is applied that cannot be seen: a hidden sheet, hidden rows or columns holding values, and
merged cells in data rows are problems (unhide, unmerge or delete them).

**New keywords.** A Keywords row with no Keyword ID but an ``Ad group ID``, a ``Keyword`` and a
``Match type`` creates that keyword under that ad group (``action="create"``, ids ``new-1`` …).

**Cells.** An empty cell means "no change". Ids are text of digits; an id stored as a number is
taken when it is a whole number of at most 15 digits (what Excel keeps; pandas' ``to_excel``
writes ids so) and refused otherwise, since Excel has rounded it (format the column as Text and
paste the ids again). Money is in currency units unless the header says micro: ``1.10``,
``1,234.50`` or a number, turned exactly into micros; a currency written in the cell or the
header is read, not dropped — ``5¢`` is 0.05, and ``$4.70`` in a EUR account, ``€12`` or
``12 EUR`` in a USD account, ``¥10`` outside JPY and CNY accounts are refused naming both
currencies. Negative amounts, more than 6 decimals and text are refused. Text columns (names,
keywords) refuse numbers: Excel has turned the text into a number. Statuses, budget types and
match types are case-insensitive; booleans are true/false, yes/no or 1/0; dates are dates,
datetimes or ISO text (UTC unless an offset is written), planned as Unix seconds.

**Headers.** Case, spaces, underscores and punctuation do not matter (``AdGroup Id`` =
``ad_group_id`` = ``Ad group ID``); a money header may end in ``(USD)``, ``($)``, ``(¢)`` or
``(micro)``, a date header in ``(UTC)``.

==================================================  ==================================================
header (any of)                                     meaning
==================================================  ==================================================
ID, Entity ID                                       the row's id, any entity type
Campaign ID, Ad group ID, Ad ID, Keyword ID         that entity type's id; in a lower level's sheet a
                                                    read-only parent that must match (a new keyword's
                                                    ad group)
Parent ID                                           keywords: read-only parent (ad group or campaign)
Ad account ID, Account ID, Ad account               the ad account (else ``ad_account_id=``, else the
                                                    token's only account)
Entity type, Entity, Level, Object type             Campaign, Ad group, Ad or Keyword (plurals too)
Field, Attribute, Setting                           long rows: the header of the field to set
Value, New value, After                             long rows: its new value
Name, Campaign name, Ad group name, Ad name         ``name``
Status                                              ACTIVE, PAUSED, ARCHIVED; for keywords ARCHIVED
                                                    ⇔ ``archived`` true, ACTIVE ⇔ false
Bid, Max bid, CPC bid, Max CPC bid, Bid amount      ad group ``bid_in_micro_currency``; refused for
                                                    keywords (Pinterest ignores keyword bids)
Ad group bid                                        the same, for ad groups only
Budget                                              ad group ``budget_in_micro_currency``, campaign
                                                    ``daily_spend_cap``
Daily budget, Daily cap, Daily spend cap            the same; an ad group's budget type must be DAILY
Lifetime budget, Lifetime cap, Lifetime spend cap,  ad group budget (its budget type must be
Total budget                                        LIFETIME), campaign ``lifetime_spend_cap``
Budget type                                         ad groups: DAILY, LIFETIME, CBO_ADGROUP
Start date, Start time, Start, Start date time      ``start_time`` (campaigns, ad groups)
End date, End time, End, End date time              ``end_time`` (campaigns, ad groups)
Match type                                          keywords: BROAD, PHRASE, EXACT, EXACT_NEGATIVE, …
Archived                                            keywords: true or false
Keyword, Keyword text, Text                         keywords: a new keyword's text; read-only, must
                                                    match, on existing ones
Currency                                            read-only, must be the ad account's currency
Notes, Note, Comment, Comments                      ignored
bid_in_micro_currency, daily_spend_cap_micro,       the frame column or API field itself, in
daily_spend_cap, start_time, status, …              snake_case: money in integer micro, times also
                                                    as Unix seconds (``bid`` is the friendly Bid)
==================================================  ==================================================

Any other header is an error that names the closest known one. Every problem — unknown or
misplaced headers, bad ids, amounts, enums and dates, duplicate ids, ids not in the account,
read-only values that differ, money in another currency — is collected first and raised
together as one :class:`SpreadsheetError` (``.problems``: sheet, row, column, value, reason);
a spreadsheet with any problem plans nothing. Ids repeated many times are one problem naming
a few rows and counting the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..frames import schema
from .changes import plain
from .fields import FRAME_COLUMNS
from .model import EditPlan, change_record
from .spreadsheet_cells import currency_conflict
from .spreadsheet_files import Parsed, SpreadsheetError
from .spreadsheet_parse import parse_file
from .spreadsheet_template import read_template, reader_of, template

__all__ = ["SpreadsheetError", "from_spreadsheet", "read_spreadsheet", "read_template", "template"]

_ORDER = ("campaign", "ad_group", "ad", "keyword")
_BY_IDS_UP_TO = 250   # more ids than this: read the whole account instead of by id


# ------------------------------------------------------------------------------------------ public API
def read_spreadsheet(path: str | Path) -> dict[str, pd.DataFrame]:
    """The desired values in a spreadsheet, per entity type, without touching the network.

    Each frame has ``id`` and the frame columns it sets (``bid_in_micro_currency`` in micro,
    ``start_time`` as UTC timestamps, …), indexed by ``"sheet!row"``; ``<NA>`` means "no change"
    (so do not hand these frames to :meth:`EditPlan.from_frames` as they are: use
    :func:`from_spreadsheet`). New keywords are rows ``new-1`` … of the keyword frame with their
    ``parent_id``, ``value`` and ``match_type``. Raises :class:`SpreadsheetError` listing every problem.

    >>> Path("bids.csv").write_text("Ad group ID,Bid (USD)\\n2680060061223,1.10\\n")  # doctest: +SKIP
    >>> read_spreadsheet("bids.csv")["ad_group"]                                    # doctest: +SKIP
                           id  bid_in_micro_currency
    source
    bids.csv!2  2680060061223                1100000
    """
    out = parse_file(Path(path))
    out.raise_problems()
    return _desired(out)


def from_spreadsheet(path: str | Path, *, client: Any = None, ad_account_id: str | None = None) -> EditPlan:
    """An edit plan from a spreadsheet: read it, read the current state of the entities it names,
    and plan every difference (``EditPlan.from_frames`` per entity type, merged in sheet order)
    and every new keyword.

    The ad account comes from an ``Ad account ID`` column, else ``ad_account_id``, else the
    token's only account. Raises :class:`SpreadsheetError` listing every problem, including ids
    that are not in the account, read-only columns that differ from the current values and money
    written in another currency than the account's; a folder or a missing file raises an
    ``OSError`` saying what to pass.

    >>> plan = from_spreadsheet("bids.xlsx", ad_account_id="549755023801")   # doctest: +SKIP
    >>> plan.changes[["id", "field", "before", "after"]]                       # doctest: +SKIP
    """
    from ..entities import read_ad_accounts

    path = Path(path)
    out = parse_file(path)
    if client is None:
        from ..client import default_client

        client = default_client()
    visible = read_ad_accounts(client=client).set_index("id")["currency"].to_dict()
    _route(out, ad_account_id, visible)
    current = _state(out, _read_current(out, client))
    _check_against(out, current, visible)
    out.raise_problems()
    return _plan(out, current, visible, source=f"spreadsheet {path.name}")


def _desired(out: Parsed) -> dict[str, pd.DataFrame]:
    frames = {}
    for entity in _ORDER:
        sources = {}
        for r in out.rows:
            if r["entity"] == entity:
                sources.setdefault(r["id"], f"{r['sheet']}!{r['row']}")
        values: dict[str, dict] = defaultdict(dict)
        for c in out.cells:
            if c["entity"] == entity:
                values[c["id"]][c["column"]] = c["value"]
        for k, c in enumerate((c for c in out.creates if c["entity"] == entity), start=1):
            sources[f"new-{k}"] = f"{c['sheet']}!{c['row']}"
            values[f"new-{k}"] = {"parent_id": c["parent"], "value": c["value"], "match_type": c["match_type"]}
        if not sources:
            continue
        table = schema.SCHEMAS[entity]
        known = list(FRAME_COLUMNS[entity]) + ["parent_id", "value"] * (entity == "keyword")
        columns = [col for col in dict.fromkeys(known) if any(col in v for v in values.values())]
        data = {"id": pd.array(list(sources), dtype="string")}
        for col in columns:
            column = [values[i].get(col) for i in sources]
            dtype = table.field(col).dtype
            data[col] = (pd.to_datetime(pd.array(column, dtype="Int64"), unit="s", utc=True)
                         if dtype.startswith("datetime") else pd.array(column, dtype=dtype))
        frames[entity] = pd.DataFrame(data, index=pd.Index(list(sources.values()), name="source"))
    return frames


# ------------------------------------------------------------------------------------------ against the account
def _route(out: Parsed, ad_account_id: str | None, visible: Mapping[str, str]) -> None:
    """Give every record its ad account; rows naming an account the token cannot see are problems."""
    from ..api._common import check_id

    given = check_id(ad_account_id, "ad_account_id") if ad_account_id is not None else None
    default = given or (next(iter(visible)) if len(visible) == 1 else None)
    unrouted = None
    for r in out.rows + out.creates:
        if r["account"] is None:
            r["account"] = default
            unrouted = unrouted or (r if default is None else None)
        elif r["account"] and given and r["account"] != given:
            out.problem(r["sheet"], r["row"], r["account_column"], r["account"],
                        f"another account than ad_account_id={given}")
            r["account"] = False
        elif r["account"] and r["account"] not in visible:
            out.problem(r["sheet"], r["row"], r["account_column"], r["account"], "not an ad account this token can see")
            r["account"] = False
    if unrouted:
        out.problem(unrouted["sheet"], 1, "Ad account ID", "", "which ad account? Pass ad_account_id= or add an Ad "
                    f"account ID column (this token sees {len(visible)}: {', '.join(visible)})")
    account_of = {(r["sheet"], r["row"]): r["account"] for r in out.rows}
    for record in out.cells + out.checks:
        record["account"] = account_of.get((record["sheet"], record["row"]))


def _read_current(out: Parsed, client: Any) -> dict[tuple[str, str], pd.DataFrame]:
    wanted: dict[tuple, dict[str, None]] = defaultdict(dict)
    for r in out.rows:
        if r["account"]:
            wanted[(r["account"], r["entity"])][r["id"]] = None
    for c in out.creates:   # a new keyword's ad group must be in the account
        if c["account"]:
            wanted[(c["account"], "ad_group")][c["parent"]] = None
    current = {}
    for (account, entity), ids in wanted.items():
        if entity == "keyword":
            frame = _read_keywords(out, client, account, set(ids))
        else:
            some = list(ids) if len(ids) <= _BY_IDS_UP_TO else None
            frame = reader_of(entity)(account, ids=some, statuses="all", client=client)
        current[(account, entity)] = frame
    return current


def _read_keywords(out: Parsed, client: Any, account: str, ids: set[str]) -> pd.DataFrame:
    """Keywords are listed per parent: by the parents the sheet names when every keyword row names one."""
    from ..entities import read_keywords
    from ..http.errors import PinterestError

    parents: dict[str, dict[str, str]] = {}
    for c in out.checks:
        if c["entity"] == "keyword" and c["account"] == account and c["what"] in ("ad_group_id", "campaign_id"):
            parents.setdefault(c["id"], {})[c["what"]] = c["value"]
    if ids and ids <= set(parents):
        by = {k: sorted({p[k] for p in parents.values() if k in p}) or None for k in ("ad_group_id", "campaign_id")}
        try:
            return read_keywords(account, ad_group_ids=by["ad_group_id"], campaign_ids=by["campaign_id"],
                                 client=client)
        except PinterestError:
            pass  # a parent that does not exist: read them all, and the check below names the row
    return read_keywords(account, client=client)


def _state(out: Parsed, frames: Mapping[tuple[str, str], pd.DataFrame]) -> dict[tuple[str, str], dict[str, dict]]:
    """The current state of the entities the sheet names, ``{(account, entity): {id: record}}``:
    only the columns the checks and the diff read, as plain values, converted column by column."""
    named: dict[tuple, set[str]] = defaultdict(set)
    for r in out.rows:
        named[(r["account"], r["entity"])].add(r["id"])
    for c in out.creates:
        named[(c["account"], "ad_group")].add(c["parent"])
    edited = {(c["account"], c["entity"], c["column"]) for c in out.cells}
    state = {}
    for (account, entity), frame in frames.items():
        wanted = _FACTS + _ABOUT + tuple(c for c in FRAME_COLUMNS[entity] if (account, entity, c) in edited)
        frame = frame[[c for c in dict.fromkeys(wanted) if c in frame.columns]]
        ids = frame["id"].astype(str)
        frame = frame[ids.isin(named[(account, entity)])] if len(named[(account, entity)]) < len(frame) else frame
        columns = {c: _plain_values(frame[c]) for c in frame.columns}
        state[(account, entity)] = {str(r["id"]): r for r in (dict(zip(columns, values, strict=True))
                                                              for values in zip(*columns.values(), strict=True))}
    return state


def _plain_values(series: pd.Series) -> list:
    """A column as plain Python values (what :func:`plain` gives, faster for the common types)."""
    if series.dtype.kind == "M":   # times as Unix seconds
        per = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[series.dt.unit]
        return [None if missing else v // per
                for v, missing in zip(series.array.asi8.tolist(), series.isna().tolist(), strict=True)]
    values = []
    for v in series.tolist():
        if v is None or v is pd.NA or v is pd.NaT:
            values.append(None)
        elif type(v) in (str, int, bool):
            values.append(v)
        elif type(v) is float:
            values.append(None if v != v else v)
        else:
            values.append(plain(v))
    return values


def _check_against(out: Parsed, current: Mapping, visible: Mapping[str, str]) -> None:
    def found(record: dict, entity: str | None = None, ident: str | None = None) -> dict | None:
        return current.get((record["account"], entity or record["entity"]), {}).get(ident or record["id"])

    for r in out.rows:
        if r["account"] and found(r) is None:
            hint = " (keywords are found under active or paused campaigns and ad groups)" * (r["entity"] == "keyword")
            out.problem(r["sheet"], r["row"], r["column"], r["raw"],
                        f"no {r['entity']} with this id in ad account {r['account']}{hint}")
    for c in out.checks:
        cur = found(c) if c["account"] else None
        if cur is not None and (message := _read_only(c, cur, visible)):
            out.problem(c["sheet"], c["row"], c["column"], c["value"], message)
    for c in out.creates:
        group = found(c, "ad_group", c["parent"]) if c["account"] else None
        if c["account"] and group is None:
            out.problem(c["sheet"], c["row"], c["parent_column"], c["parent_raw"],
                        f"no ad_group with this id in ad account {c['account']} (a new keyword's ad group)")
        for check in c.get("checks", []) if group is not None else ():
            message = _read_only({**check, "entity": "ad_group", "account": c["account"]}, group, visible)
            if message:
                out.problem(c["sheet"], c["row"], check["column"], check["value"], message)
    desired_type = {c["id"]: c["value"] for c in out.cells if c["column"] == "budget_type"}
    told = set()
    for c in out.cells:
        cur = found(c) if c["account"] else None
        if cur is None:
            continue
        if c["currency"] and (message := currency_conflict(c["currency"], visible.get(c["account"]), c["account"])):
            key = (c["sheet"], c["header"], c["account"]) if c["from_header"] else id(c)
            if key not in told:
                told.add(key)
                out.problem(c["sheet"], 1 if c["from_header"] else c["row"], c["header"],
                            c["header"] if c["from_header"] else c["raw"], message)
        if c["budget"] and desired_type.get(c["id"], cur.get("budget_type")) != c["budget"]:
            out.problem(c["sheet"], c["row"], c["header"], c["raw"], f"this ad group's budget type is not "
                        f"{c['budget']}: set Budget type to {c['budget']} on this row, or use the Budget column")
        if c["column"] == "status" and c["value"] == "DRAFT" and cur.get("status") != "DRAFT":
            out.problem(c["sheet"], c["row"], c["header"], c["raw"], "cannot be set to DRAFT")


def _read_only(check: dict, cur: dict, visible: Mapping[str, str]) -> str:
    what, value = check["what"], check["value"]
    if what == "currency":
        actual = visible.get(check["account"])
        return "" if value.strip().upper() == actual else f"read-only: ad account {check['account']} is in {actual}"
    if what == "value":
        actual = cur.get("value") or ""
        return "" if value.strip().casefold() == actual.strip().casefold() else \
            f"read-only: this keyword's text is {actual!r} (to change it, archive the keyword and add a new one)"
    if check["entity"] == "keyword":
        parent_type = {"ad_group_id": "ad_group", "campaign_id": "campaign"}.get(what)
        actual = cur.get("parent_id")
        if actual == value and parent_type in (None, cur.get("parent_type")):
            return ""
        return f"read-only: this keyword belongs to {cur.get('parent_type')} {actual}"
    actual = cur.get(what)
    return "" if actual == value else f"read-only: this {check['entity']} belongs to {what[:-3]} {actual}"


_FACTS = ("id", "campaign_id", "ad_group_id", "parent_id", "parent_type", "value", "budget_type", "status")
_ABOUT = ("ad_account_id", "name", "currency", "updated_time")   # what a change record says of its entity


# ------------------------------------------------------------------------------------------ the plan
def _plan(out: Parsed, current: Mapping, visible: Mapping[str, str], *, source: str) -> EditPlan:
    """Every difference between the cells and the current state, and every new keyword, in
    sheet order (the order of their first row)."""
    wanted: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for c in out.cells:
        wanted[(c["account"], c["entity"])][c["id"]][c["column"]] = c["value"]
    planned: dict[tuple, list[dict]] = defaultdict(list)
    for (account, entity), by_id in wanted.items():
        state = current[(account, entity)]
        fields = FRAME_COLUMNS[entity]
        for ident, values in by_id.items():
            cur = state[ident]
            for col in (c for c in fields if c in values):
                before, after = cur.get(col), values[col]
                if not _same(before, after):
                    planned[(entity, ident)].append(change_record(entity, cur, fields[col], before, after))
    records = []
    for r in _in_order(out):
        if r.get("create"):
            records.append(r["create"])
        else:
            records.extend(planned.pop((r["entity"], r["id"]), ()))
    for k, r in enumerate((r for r in records if r.get("action") == "create"), start=1):
        r["id"] = f"new-{k}"
    for r in records:
        r["currency"] = r.get("currency") or visible.get(r["ad_account_id"])
    return EditPlan.from_changes(records, source=source)


def _in_order(out: Parsed) -> list[dict]:
    """Rows and new keywords by sheet and row; a new keyword carries its create record."""
    for c in out.creates:
        c["create"] = {"action": "create", "entity_type": "keyword", "ad_account_id": c["account"],
                       "parent_id": c["parent"], "name": c["value"], "field": "*", "before": None,
                       "after": {"value": c["value"], "match_type": c["match_type"]}}
    return sorted(out.rows + out.creates, key=lambda r: (out.sheets.get(r["sheet"], -1), r["row"]))


def _same(before: Any, after: Any) -> bool:
    if before is None or after is None:
        return before is None and after is None
    try:
        return bool(before == after)
    except (TypeError, ValueError):
        return False
