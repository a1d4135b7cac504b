"""How an async report file is laid out: the spec is silent, so the emulator can serve each
plausible layout (a control-plane switch, ``POST /_emulator/reports/behaviour``) and the client
must read every one of them right.

Pinterest's spec names the formats (``report_format``: JSON or CSV, "Reports in JSON will not
zero-fill metrics, whereas reports in CSV will") but not the file's shape. The one outside evidence
(the Airbyte connector) reads JSON as ``{"<entity_id>": [rows]}``, the default here. The switches:

- ``json_layout``: ``"by_entity"`` (default) ``{id: [rows]}``; ``"rows"`` a JSON array of rows;
  ``"lines"`` JSON Lines, one row object a line;
- ``column_names``: ``"as_requested"`` (default, ``SPEND_IN_DOLLAR``), ``"lower"``
  (``spend_in_dollar``), ``"title"`` (``Spend In Dollar``), for JSON keys and CSV headers alike;
- ``csv_bom``: a UTF-8 byte-order mark before a CSV file (default off);
- ``file_format``: ``"as_requested"`` (default), or ``"JSON"`` / ``"CSV"`` whatever the request
  asked for (a client must not trust its own ``report_format``).

Example:
    >>> groups = {"5": [{"CAMPAIGN_ID": "5", "SPEND_IN_DOLLAR": 1.5}]}
    >>> render(groups, ["CAMPAIGN_ID", "SPEND_IN_DOLLAR"], "JSON", {"json_layout": "rows", "column_names": "lower"})
    b'[{"campaign_id":"5","spend_in_dollar":1.5}]'
    >>> render(groups, ["CAMPAIGN_ID", "SPEND_IN_DOLLAR"], "CSV", {"csv_bom": True, "column_names": "title"})
    b'\\xef\\xbb\\xbfCampaign Id,Spend In Dollar\\r\\n5,1.5\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json

JSON_LAYOUTS = ("by_entity", "rows", "lines")
COLUMN_NAMES = ("as_requested", "lower", "title")
FILE_FORMATS = ("as_requested", "JSON", "CSV")
DEFAULT_LAYOUT = {"json_layout": "by_entity", "column_names": "as_requested", "csv_bom": False,
                  "file_format": "as_requested"}


def check_layout(json_layout: str | None = None, column_names: str | None = None, csv_bom: bool | None = None,
                 file_format: str | None = None) -> dict:
    """A complete layout (None → the default of that switch); ValueError naming the allowed values.

    Example:
        >>> check_layout(json_layout="rows")["json_layout"]
        'rows'
    """
    layout = dict(DEFAULT_LAYOUT)
    for name, value, allowed in (("json_layout", json_layout, JSON_LAYOUTS),
                                 ("column_names", column_names, COLUMN_NAMES),
                                 ("file_format", file_format, FILE_FORMATS)):
        if value is not None:
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
            layout[name] = value
    if csv_bom is not None:
        if not isinstance(csv_bom, bool):
            raise ValueError("csv_bom must be true or false")
        layout["csv_bom"] = csv_bom
    return layout


def column_name(name: str, style: str) -> str:
    """A report column's name in a naming style.

    Example:
        >>> column_name("SPEND_IN_DOLLAR", "title")
        'Spend In Dollar'
    """
    if style == "lower":
        return name.lower()
    if style == "title":
        return " ".join(part.capitalize() for part in name.split("_"))
    return name


def render(groups: dict[str, list[dict]], columns: list[str], report_format: str, layout: dict | None = None) -> bytes:
    """The file bytes of ``{entity id: [rows]}`` in a layout (None → :data:`DEFAULT_LAYOUT`)."""
    layout = {**DEFAULT_LAYOUT, **(layout or {})}
    style = layout["column_names"]
    fmt = report_format if layout["file_format"] == "as_requested" else layout["file_format"]
    if fmt != "CSV":
        named = {key: [{column_name(k, style): v for k, v in row.items()} for row in rows]
                 for key, rows in groups.items()}
        rows = [row for rows in named.values() for row in rows]
        if layout["json_layout"] == "rows":
            return _json(rows)
        if layout["json_layout"] == "lines":
            return b"".join(_json(row) + b"\n" for row in rows)
        return _json(named)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column_name(c, style) for c in columns])
    for rows in groups.values():
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return (b"\xef\xbb\xbf" if layout["csv_bom"] else b"") + buffer.getvalue().encode("utf-8")


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
