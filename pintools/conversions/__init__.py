"""Conversions API: DataFrames of events, normalised, hashed, checked, batched and sent.

>>> import pintools as pt
>>> prepared = pt.prepare_conversions(orders, event_name="checkout", action_source="offline")  # doctest: +SKIP
>>> prepared.query("problems.notna()")          # rows that cannot be sent, and why        # doctest: +SKIP
>>> results = pt.send_conversions(prepared, account, test=True)                             # doctest: +SKIP
>>> pt.conversions.summarise_results(results)                                               # doctest: +SKIP

Pieces: :mod:`~pintools.conversions.fields` (the spec's event fields and the column names
recognised), :mod:`~pintools.conversions.hashing` (normalise + SHA-256 per field; emails cleaned
by :mod:`~pintools.conversions.emails`), :mod:`~pintools.conversions.consent` (which rows may be
sent; CCPA limited data processing),
:mod:`~pintools.conversions.events` (tracking names → Pinterest event names),
:mod:`~pintools.conversions.prepare` (checks per row), :mod:`~pintools.conversions.payload`
(frames ↔ JSON events), :mod:`~pintools.conversions.send` (batches, retries, results),
:mod:`~pintools.conversions.quality` (Pinterest's Event Quality Score after an upload) and
:mod:`~pintools.conversions.token` (the dedicated conversion token, stored in the profile).
"""

from pathlib import Path

from .consent import ConsentRule
from .events import contents_from_items, from_tracking_events, map_event_names
from .fields import ACTION_SOURCES, EVENT_NAMES, FIELDS
from .hashing import hash_values, normalise_and_hash, sha256_hex
from .payload import from_events, sendable, to_events
from .prepare import ConversionsInvalid, map_columns, prepare_conversions
from .quality import read_event_quality
from .send import STATUSES, read_dead_letter, send_conversions, summarise_results, write_dead_letter
from .token import obtain_conversion_token

#: A small CSV of offline orders (times in the week before the demo clock, 2026-11-15), with the
#: mistakes real exports have: a decimal comma, a row without email, a repeated order id, a
#: malformed email and a time in the future. The notebook and the recipe use it by default.
SAMPLE_ORDERS_CSV = Path(__file__).with_name("data") / "offline_orders.csv"

__all__ = [
    "SAMPLE_ORDERS_CSV", "ACTION_SOURCES", "EVENT_NAMES", "FIELDS", "STATUSES", "ConsentRule", "ConversionsInvalid",
    "contents_from_items",
    "from_events", "from_tracking_events", "hash_values", "map_columns", "map_event_names",
    "normalise_and_hash", "obtain_conversion_token", "prepare_conversions", "read_dead_letter", "read_event_quality",
    "send_conversions", "sendable", "sha256_hex", "summarise_results", "to_events", "write_dead_letter",
]
