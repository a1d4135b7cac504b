"""Read an async report file into rows, whatever its layout.

Pinterest's spec says a report is JSON or CSV ("Reports in JSON will not zero-fill metrics,
whereas reports in CSV will") but not how the file is laid out. So the reader takes every
plausible layout: JSON keyed by entity id (``{"<id>": [rows]}``, what the Airbyte connector
reads), a JSON array of rows, JSON Lines, CSV with or without a UTF-8 byte-order mark, whatever
format was asked for; and column names as requested (``SPEND_IN_DOLLAR``), lower case
(``spend_in_dollar``) or spaced words (``Spend In Dollar``), all read as ``SPEND_IN_DOLLAR``.
Empty CSV cells are None.

Example:
    >>> parse_report_file(b'{"5": [{"CAMPAIGN_ID": "5", "SPEND_IN_DOLLAR": 1.5}]}')
    [{'CAMPAIGN_ID': '5', 'SPEND_IN_DOLLAR': 1.5}]
    >>> parse_report_file(b'\\xef\\xbb\\xbfCampaign Id,Spend In Dollar\\r\\n5,1.5\\r\\n')
    [{'CAMPAIGN_ID': '5', 'SPEND_IN_DOLLAR': '1.5'}]
"""

from __future__ import annotations

import csv
import io
import json
import re

_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def column_key(name: str) -> str:
    """A report column name as pintools uses it: upper case words joined by ``_``.

    Example:
        >>> column_key("Spend In Dollar"), column_key("spend_in_dollar"), column_key("SPEND_IN_DOLLAR")
        ('SPEND_IN_DOLLAR', 'SPEND_IN_DOLLAR', 'SPEND_IN_DOLLAR')
    """
    return _NOT_WORD.sub("_", str(name).replace("\ufeff", "")).strip("_").upper()


def _rows_of(data) -> list[dict]:
    """Rows of a JSON value: an array of rows, an object keyed by entity id (each value a row or a
    list of rows), or one row (an object with a value that is neither)."""
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    if isinstance(data, dict):
        if any(not isinstance(value, (list, dict)) for value in data.values()):
            return [data]
        return [row for value in data.values()
                for row in (value if isinstance(value, list) else [value]) if isinstance(row, dict)]
    raise ValueError("the report file is JSON but neither an object nor an array of rows")


def _json_rows(text: str) -> list[dict]:
    try:
        return _rows_of(json.loads(text))
    except json.JSONDecodeError as exc:
        if "Extra data" not in exc.msg:
            raise ValueError(f"the report file is not valid JSON: {exc}") from None
    rows = []  # JSON Lines: one JSON value a line
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.extend(_rows_of(json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ValueError(f"the report file is neither JSON nor JSON Lines (line {number}: {exc})") from None
    return rows


def parse_report_file(content: bytes) -> list[dict]:
    """Rows from a report file in any layout above, keys as :func:`column_key` writes them.

    Example:
        >>> parse_report_file(b'{"CAMPAIGN_ID": "5"}\\n{"CAMPAIGN_ID": "6"}\\n')
        [{'CAMPAIGN_ID': '5'}, {'CAMPAIGN_ID': '6'}]
    """
    text = content.decode("utf-8-sig").strip()
    if not text:
        return []
    if text[0] in "{[":
        rows = _json_rows(text)
    else:
        reader = csv.DictReader(io.StringIO(text))
        rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]
    return [{column_key(k): v for k, v in row.items()} for row in rows]
