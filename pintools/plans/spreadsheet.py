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
with ``Field`` and ``Value`` columns) carry an id, a field's header and its new value.

**Cells.** An empty cell means "no change". Ids are text of digits: a numeric id cell is
refused, since Excel keeps 15 significant digits and has rounded an 18-digit id (format the
column as Text and paste the ids again). Money is in currency units unless the header says
micro: ``1.10``, ``$1.10``, ``1,234.50``, ``€12``, ``12 EUR`` or a number, turned exactly into
micros; negative amounts, more than 6 decimals and text are refused. Statuses, budget types and
match types are case-insensitive; booleans are true/false, yes/no or 1/0; dates are dates,
datetimes or ISO text (UTC unless an offset is written), planned as Unix seconds.

**Headers.** Case, spaces, underscores and punctuation do not matter (``AdGroup Id`` =
``ad_group_id`` = ``Ad group ID``); a money header may end in ``(USD)``, ``($)`` or
``(micro)``, a date header in ``(UTC)``.

==================================================  ==================================================
header (any of)                                     meaning
==================================================  ==================================================
ID, Entity ID                                       the row's id, any entity type
Campaign ID, Ad group ID, Ad ID, Keyword ID         that entity type's id; in a lower level's sheet a
                                                    read-only parent that must match
Parent ID                                           keywords: read-only parent (ad group or campaign)
Ad account ID, Account ID, Ad account               the ad account (else ``ad_account_id=``, else the
                                                    token's only account)
Entity type, Entity, Level, Object type             Campaign, Ad group, Ad or Keyword (plurals too)
Field, Attribute, Setting                           long rows: the header of the field to set
Value, New value, After                             long rows: its new value
Name, Campaign name, Ad group name, Ad name         ``name``
Status                                              ACTIVE, PAUSED, ARCHIVED; for keywords ARCHIVED
                                                    ⇔ ``archived`` true, ACTIVE ⇔ false
Bid, Max bid, CPC bid, Max CPC bid, Bid amount      ad group ``bid_in_micro_currency``, keyword ``bid``
Ad group bid, Keyword bid                           the same, for that entity type only
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
Keyword, Keyword text, Text                         keywords: read-only, must match the text
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
a spreadsheet with any problem plans nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..frames import schema
from .changes import plain
from .fields import FRAME_COLUMNS
from .model import EditPlan
from .money import to_units
from .spreadsheet_cells import ENTITY_LABELS, PROBLEM_COLUMNS, Parsed, as_text, column_letter, parse_entity, parse_file

_ORDER = ("campaign", "ad_group", "ad", "keyword")
_BY_IDS_UP_TO = 250   # more ids than this: read the whole account instead of by id


class SpreadsheetError(ValueError):
    """Everything wrong with a spreadsheet; ``.problems`` is a DataFrame with the columns
    ``sheet, row, column, value, reason`` (row: as Excel numbers it, the header is row 1)."""

    def __init__(self, problems: list[dict] | pd.DataFrame, source: str = "spreadsheet") -> None:
        self.problems = pd.DataFrame(problems, columns=PROBLEM_COLUMNS).reset_index(drop=True)
        self.source = source
        n = len(self.problems)
        lines = [f"{source}: {n} problem{'' if n == 1 else 's'}, so nothing was planned"]
        for p in self.problems.head(20).itertuples():
            shown = f" = {p.value!r}" if p.value else ""
            lines.append(f"  {p.sheet} row {p.row}, {p.column}{shown}: {p.reason}")
        if n > 20:
            lines.append(f"  … and {n - 20} more (see .problems)")
        super().__init__("\n".join(lines))


# ------------------------------------------------------------------------------------------ public API
def read_spreadsheet(path: str | Path) -> dict[str, pd.DataFrame]:
    """The desired values in a spreadsheet, per entity type, without touching the network.

    Each frame has ``id`` and the frame columns it sets (``bid_in_micro_currency`` in micro,
    ``start_time`` as UTC timestamps, …), indexed by ``"sheet!row"``; ``<NA>`` means "no change"
    (so do not hand these frames to :meth:`EditPlan.from_frames` as they are: use
    :func:`from_spreadsheet`). Raises :class:`SpreadsheetError` listing every problem.

    >>> Path("bids.csv").write_text("Ad group ID,Bid (USD)\\n2680060061223,1.10\\n")  # doctest: +SKIP
    >>> read_spreadsheet("bids.csv")["ad_group"]                                    # doctest: +SKIP
                           id  bid_in_micro_currency
    source
    bids.csv!2  2680060061223                1100000
    """
    out = parse_file(Path(path))
    if out.problems:
        raise SpreadsheetError(out.ordered_problems(), Path(path).name)
    return _desired(out)


def from_spreadsheet(path: str | Path, *, client: Any = None, ad_account_id: str | None = None) -> EditPlan:
    """An edit plan from a spreadsheet: read it, read the current state of the entities it names,
    and plan every difference (``EditPlan.from_frames`` per entity type, merged in sheet order).

    The ad account comes from an ``Ad account ID`` column, else ``ad_account_id``, else the
    token's only account. Raises :class:`SpreadsheetError` listing every problem, including ids
    that are not in the account and read-only columns that differ from the current values.

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
    current = _read_current(out, client)
    _check_against(out, current, visible)
    if out.problems:
        raise SpreadsheetError(out.ordered_problems(), path.name)
    return _plan(out, current, source=f"spreadsheet {path.name}")


def _desired(out: Parsed) -> dict[str, pd.DataFrame]:
    frames = {}
    for entity in _ORDER:
        sources = {}
        for r in out.rows:
            if r["entity"] == entity:
                sources.setdefault(r["id"], f"{r['sheet']}!{r['row']}")
        if not sources:
            continue
        values: dict[str, dict] = defaultdict(dict)
        for c in out.cells:
            if c["entity"] == entity:
                values[c["id"]][c["column"]] = c["value"]
        table = schema.SCHEMAS[entity]
        columns = [col for col in FRAME_COLUMNS[entity] if any(col in v for v in values.values())]
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
    unrouted = False
    for r in out.rows:
        if r["account"] is None:
            r["account"] = default
            unrouted = unrouted or default is None
        elif r["account"] and given and r["account"] != given:
            out.problem(r["sheet"], r["row"], r["account_column"], r["account"],
                        f"another account than ad_account_id={given}")
            r["account"] = False
        elif r["account"] and r["account"] not in visible:
            out.problem(r["sheet"], r["row"], r["account_column"], r["account"], "not an ad account this token can see")
            r["account"] = False
    if unrouted:
        first = next(r for r in out.rows if r["account"] is None)
        out.problem(first["sheet"], 1, "Ad account ID", "", "which ad account? Pass ad_account_id= or add an Ad "
                    f"account ID column (this token sees {len(visible)}: {', '.join(visible)})")
    account_of = {(r["sheet"], r["row"]): r["account"] for r in out.rows}
    for record in out.cells + out.checks:
        record["account"] = account_of.get((record["sheet"], record["row"]))


def _reader(entity: str) -> Any:
    from .. import entities

    return {"campaign": entities.read_campaigns, "ad_group": entities.read_ad_groups, "ad": entities.read_ads}[entity]


def _read_current(out: Parsed, client: Any) -> dict[tuple[str, str], pd.DataFrame]:
    wanted: dict[tuple, dict[str, None]] = defaultdict(dict)
    for r in out.rows:
        if r["account"]:
            wanted[(r["account"], r["entity"])][r["id"]] = None
    current = {}
    for (account, entity), ids in wanted.items():
        if entity == "keyword":
            frame = _read_keywords(out, client, account, set(ids))
        else:
            some = list(ids) if len(ids) <= _BY_IDS_UP_TO else None
            frame = _reader(entity)(account, ids=some, statuses="all", client=client)
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


def _check_against(out: Parsed, current: Mapping, visible: Mapping[str, str]) -> None:
    facts = {key: {r["id"]: r for r in _records(frame, _FACTS)} for key, frame in current.items()}

    def found(record: dict) -> dict | None:
        return facts.get((record["account"], record["entity"]), {}).get(record["id"])

    for r in out.rows:
        if r["account"] and found(r) is None:
            hint = " (keywords are found under active or paused campaigns and ad groups)" * (r["entity"] == "keyword")
            out.problem(r["sheet"], r["row"], r["column"], r["raw"],
                        f"no {r['entity']} with this id in ad account {r['account']}{hint}")
    for c in out.checks:
        cur = found(c) if c["account"] else None
        if cur is not None and (message := _read_only(c, cur, visible)):
            out.problem(c["sheet"], c["row"], c["column"], c["value"], message)
    desired_type = {c["id"]: c["value"] for c in out.cells if c["column"] == "budget_type"}
    wrong_currency = set()
    for c in out.cells:
        cur = found(c) if c["account"] else None
        if cur is None:
            continue
        currency = visible.get(c["account"])
        if c["currency"] and c["currency"] != currency:
            key = (c["sheet"], c["header"], c["account"]) if c["from_header"] else id(c)
            if key not in wrong_currency:
                wrong_currency.add(key)
                out.problem(c["sheet"], 1 if c["from_header"] else c["row"], c["header"],
                            c["header"] if c["from_header"] else c["raw"],
                            f"written in {c['currency']}, but ad account {c['account']} is in {currency}")
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
_ABOUT = ("id", "ad_account_id", "name", "value", "currency", "updated_time")  # what from_frames copies to a row


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    kept = frame[[c for c in columns if c in frame.columns]]
    return [{k: plain(v) for k, v in r.items()} for r in kept.to_dict("records")]


def _plan(out: Parsed, current: Mapping, *, source: str) -> EditPlan:
    wanted: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for c in out.cells:
        wanted[(c["account"], c["entity"])][c["id"]][c["column"]] = c["value"]
    plans = []
    for (account, entity), by_id in wanted.items():
        shapes: dict[tuple, list[str]] = defaultdict(list)   # rows setting the same columns plan together
        for ident, values in by_id.items():
            shapes[tuple(col for col in FRAME_COLUMNS[entity] if col in values)].append(ident)
        for columns, ids in shapes.items():
            desired = pd.DataFrame({"id": ids, **{col: [by_id[i][col] for i in ids] for col in columns}})
            frame = current[(account, entity)]   # only the columns the diff reads: .loc per row is faster
            frame = frame[[c for c in dict.fromkeys(_ABOUT + columns) if c in frame.columns]]
            plans.append(EditPlan.from_frames(frame, desired, entity_type=entity,
                                              fields=list(columns)))
    order = {}
    for r in out.rows:
        order.setdefault((r["entity"], r["id"]), len(order))
    parents = {i: p for (_, e), f in current.items() if e == "keyword"
               for i, p in zip(f["id"], f["parent_id"], strict=True)}
    return _merge(plans, source=source, order=order, parents=parents)


def _merge(plans: Sequence[EditPlan], *, source: str, order: Mapping[tuple, int] | None = None,
           parents: Mapping[str, str] | None = None) -> EditPlan:
    """One plan from the change records of several, rows renumbered (in ``order`` of (entity, id));
    keywords get their ``parent_id`` (a match-type change re-creates them under it)."""
    keep = ("action", "entity_type", "ad_account_id", "id", "parent_id", "name", "field", "before", "after",
            "currency", "updated_time")
    records = [{k: plain(r.get(k)) for k in keep} for p in plans for r in p.changes.to_dict("records")]
    for r in records:
        if r["entity_type"] == "keyword" and not r["parent_id"] and parents:
            r["parent_id"] = plain(parents.get(r["id"]))
    if order:
        records.sort(key=lambda r: order.get((r["entity_type"], r["id"]), len(order)))
    return EditPlan.from_changes(records, source=source)


# ------------------------------------------------------------------------------------------ templates
_TEMPLATE = {
    "campaign": [("Campaign ID", "id"), ("Name", "name"), ("Status", "status"),
                 ("Daily budget", "daily_spend_cap_micro"), ("Lifetime budget", "lifetime_spend_cap_micro"),
                 ("Start time (UTC)", "start_time"), ("End time (UTC)", "end_time")],
    "ad_group": [("Ad group ID", "id"), ("Campaign ID", "campaign_id"), ("Name", "name"), ("Status", "status"),
                 ("Budget type", "budget_type"), ("Budget", "budget_in_micro_currency"),
                 ("Bid", "bid_in_micro_currency"), ("Start time (UTC)", "start_time"), ("End time (UTC)", "end_time")],
    "ad": [("Ad ID", "id"), ("Ad group ID", "ad_group_id"), ("Campaign ID", "campaign_id"), ("Name", "name"),
           ("Status", "status")],
    "keyword": [("Keyword ID", "id"), ("Ad group ID", "parent:ad_group"), ("Campaign ID", "parent:campaign"),
                ("Keyword", "value"), ("Match type", "match_type"), ("Bid", "bid_in_micro_currency"),
                ("Archived", "archived")],
}
_MONEY_FORMAT, _TIME_FORMAT = "#,##0.00####", "yyyy-mm-dd hh:mm:ss"


def template(ad_account_id: str, path: str | Path, *, entity_types: Sequence[str] = ("campaign", "ad_group"),
             client: Any = None, ids: Sequence[str] | Mapping[str, Sequence[str]] | None = None) -> Path:
    """Write the current values of an ad account to an XLSX to edit and read back with
    :func:`from_spreadsheet`: one sheet per entity type, friendly headers, money in currency units
    (``Bid (USD)``), times in UTC, ids as text. Unedited, it plans nothing.

    ``ids`` keeps only these entities (a list, or ``{"ad_group": [...], ...}`` per entity type);
    without it the sheets hold the active and paused ones.

    >>> template("549755023801", "edit.xlsx", entity_types=("ad_group", "keyword"))   # doctest: +SKIP
    PosixPath('edit.xlsx')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..api._common import check_id

    account = check_id(ad_account_id, "ad_account_id")
    try:
        kinds = list(dict.fromkeys(parse_entity(e) for e in entity_types))
    except ValueError:
        raise ValueError(f"entity_types must name campaign, ad_group, ad or keyword; got {entity_types!r}") from None
    if client is None:
        from ..client import default_client

        client = default_client()
    currency = client.currency_of(account)
    book = Workbook()
    book.remove(book.active)
    for entity in kinds:
        frame = _template_frame(client, account, entity, ids)
        sheet = book.create_sheet(ENTITY_LABELS[entity])
        spec = _TEMPLATE[entity] + [("Ad account ID", "ad_account_id")]
        money = set(schema.SCHEMAS[entity].money_columns)
        sheet.append([f"{h} ({currency})" if col in money else h for h, col in spec])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c.value)) for c in sheet[1]]
        for n, record in enumerate(frame.to_dict("records"), start=2):
            for j, (_, col) in enumerate(spec):
                cell = sheet.cell(n, j + 1)
                text = _template_cell(cell, record, col, money)
                widths[j] = max(widths[j], len(text))
        for j, (_, col) in enumerate(spec):
            letter = column_letter(j)
            sheet.column_dimensions[letter].width = min(widths[j] + 3, 60)
            if col == "id" or col.endswith("_id") or col.startswith("parent:"):
                sheet.column_dimensions[letter].number_format = "@"  # ids typed or pasted later stay text
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _template_frame(client: Any, account: str, entity: str, ids: Any) -> pd.DataFrame:
    from ..entities import read_keywords

    wanted = ids.get(entity) if isinstance(ids, Mapping) else ids
    wanted = None if wanted is None else [str(i) for i in wanted]
    if entity == "keyword":
        frame = read_keywords(account, client=client)
    else:
        frame = _reader(entity)(account, ids=wanted or None, statuses="all" if wanted else None, client=client)
    return frame if wanted is None else frame[frame["id"].isin(wanted)]


def _template_cell(cell: Any, record: Mapping[str, Any], col: str, money: set[str]) -> str:
    """Fill one template cell; returns its text (for the column width)."""
    if col.startswith("parent:"):
        value = record["parent_id"] if plain(record.get("parent_type")) == col[7:] else None
    else:
        value = plain(record.get(col))
    if value is None:
        return ""
    if col == "id" or col.endswith("_id") or col.startswith("parent:"):
        cell.value, cell.number_format = str(value), "@"
    elif col in money:
        cell.value, cell.number_format = to_units(value), _MONEY_FORMAT
    elif col.endswith("_time"):
        value = dt.datetime.fromtimestamp(value, dt.UTC).replace(tzinfo=None)
        cell.value, cell.number_format = value, _TIME_FORMAT
        return "2026-01-01 00:00:00"
    else:
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # a name, not a formula
    return as_text(cell.value)
