"""Conversions API (digest §15): checking a batch of events, recording them, conversion tokens.

``POST /ad_accounts/{id}/events`` carries ``{"data": [event, ...]}``. The top level is checked
first: a missing or non-list ``data``, 0 or more than 1000 events, or another top-level key
answers 400 ``{"code": 4196, "message": "The request was invalid. <detail>"}``. Then every event is
checked on its own and gets ``{"status", "error_message", "warning_message"}`` in request order.
These checks are the emulator's own (the route opts out of the OpenAPI request check), so they
behave the same with and without the spec loaded.

A failed event names the field(s) at fault, several problems joined by ``"; "``:
- ``unknown field <path>`` at the event, ``custom_data``, ``custom_data.contents[i]``, ``app_info`` and
  ``device_info`` levels (the spec's ``additionalProperties: false``); ``missing required field <name>``;
- 5.23.0's ``app_info`` / ``device_info`` fields outside their types, lengths, ranges and enums
  (:mod:`.conversion_context`);
- ``event_name`` outside :data:`EVENT_NAMES` (5.23.0's fifteen); ``action_source`` outside app_android app_ios web offline;
- a field of the wrong JSON type (null only where the spec says nullable); ``custom_data.value``,
  ``custom_data.predicted_ltv`` and ``contents[].item_price`` must be decimal strings;
- ``user_data`` without an identifier: it needs a non-empty ``em``, or a non-empty
  ``hashed_maids``, or both ``client_ip_address`` and ``client_user_agent``;
- ``event_time`` (Unix seconds) more than 60 s after the emulator clock, or older than
  ``max_event_age_days`` (default 7) before it. Neither spec nor seed states an oldest
  ``event_time``: the window is the emulator's guess, a control-plane switch
  (``set_conversions_behaviour(max_event_age_days=None)`` accepts any age), and the error says so.

Emulator choices where the spec is silent:
- A hashed field (``em``, ``hashed_maids``, ``ph`` …) holding a value that is not 64-char
  lowercase hex is still processed, with a warning naming the field: Pinterest hashes raw
  values itself but the advertiser should send SHA-256 hex. Keys of ``user_data`` the spec does
  not name (it does not forbid them) get a warning too.
- Processed events are recorded per ad account and deduplicated by (ad account, ``event_id``),
  whatever the ``action_source``: a repeat, in the same batch or a later one, is still
  ``processed`` with the warning :data:`DUPLICATE_WARNING` and is not stored twice;
  ``times_received`` counts every receipt of a processed event, repeats included.
- ``test=true`` answers exactly as a real call would (duplicate warnings included) but records
  and counts nothing.
- None processed → the route answers 422 ``DetailedError`` (code 4196, the operation's 400 code
  reused) whose ``details`` is the ``ConversionApiResponse`` (digest §15.4); at least one → 200.
- Conversion tokens belong to a user and are deterministic per (seed, user): :func:`conversion_token`.
  "The token can be used across multiple ad accounts under an user ID" (op text): the demo user's
  token works on ``events/create`` of every account that user reaches, and nowhere else; an account
  of another user (the hidden advertiser) has that user's token.
- ``oauth/conversion_token`` (5.23.0) issues a *new* token of the calling user each time
  (:meth:`Conversions.issue_token`); earlier ones stay valid (the spec does not say they are revoked).

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> book = Conversions(Clock(fixed=1_700_000_000), seed=42)
    >>> event = {"event_name": "checkout", "action_source": "web", "event_time": 1_699_999_000,
    ...          "event_id": "order-1", "user_data": {"em": ["a" * 64]}}
    >>> answer = book.receive("549755885175", {"data": [event, dict(event, event_name="buy")]}, test=False)
    >>> [e["status"] for e in answer["events"]], answer["events"][1]["error_message"][:30]
    (['processed', 'failed'], "event_name 'buy' is not one of")
    >>> [(e["event_id"], e["times_received"]) for e in book.events("549755885175")]
    [('order-1', 1)]
"""

from __future__ import annotations

import hashlib
import marshal
import math
import re
import secrets
from collections.abc import Callable

from pintools.emulator.errors import ApiError
from pintools.emulator.models.clock import Clock
from pintools.emulator.models.conversion_context import context_problems
from pintools.emulator.models.request_log import LoggedBody

MAX_EVENTS = 1000  # ConversionEvents.data maxItems
MAX_EVENT_AGE_SECONDS = 7 * 24 * 3600  # the emulator's guess (no spec or seed states one): older events fail
DEFAULT_MAX_EVENT_AGE_DAYS = 7  # set_conversions_behaviour(max_event_age_days=None) drops the window
MAX_FUTURE_SKEW_SECONDS = 60  # emulator choice: later than now + 60 s fails
INVALID_REQUEST = (4196, "The request was invalid.")  # the spec's 400 example of events/create
DUPLICATE_WARNING = "duplicate event_id; deduplicated"
CONVERSION_TOKEN_PREFIX = "emulator-conversion-token-"

# ConversionEvents.data[].event_name, as 5.23.0's description lists them (5.12.0 had nine)
EVENT_NAMES = ("add_payment_info", "add_to_cart", "add_to_wishlist", "app_install", "checkout", "custom",
               "initiate_checkout", "lead", "page_visit", "search", "signup", "subscribe", "view_category",
               "view_content", "watch_video")
ACTION_SOURCES = ("app_android", "app_ios", "web", "offline")
REQUIRED_EVENT_FIELDS = ("event_name", "action_source", "event_time", "user_data", "event_id")
HASHED_FIELDS = ("em", "hashed_maids", "ph", "ge", "db", "ln", "fn", "ct", "st", "zp", "country", "external_id")
PLAIN_USER_FIELDS = ("client_ip_address", "client_user_agent", "click_id", "partner_id")

# Optional fields per level: name -> (JSON type, nullable), as the 5.12.0 spec declares them.
_STR, _STR_NULL, _BOOL, _INT = ("string", False), ("string", True), ("boolean", False), ("integer", False)
OPTIONAL_EVENT_FIELDS = {
    "event_source_url": _STR_NULL, "opt_out": _BOOL, "partner_name": _STR_NULL, "app_id": _STR_NULL,
    "app_name": _STR_NULL, "app_version": _STR_NULL, "device_brand": _STR_NULL, "device_carrier": _STR_NULL,
    "device_model": _STR_NULL, "device_type": _STR_NULL, "os_version": _STR_NULL, "wifi": _BOOL,
    "language": _STR_NULL, "custom_data": ("object", False),
    "app_info": ("object", False), "device_info": ("object", False),  # 5.23.0: .conversion_context
}
CUSTOM_DATA_FIELDS = {
    "currency": _STR_NULL, "value": _STR_NULL, "content_ids": ("array", False), "content_name": _STR_NULL,
    "content_category": _STR_NULL, "content_brand": _STR_NULL, "contents": ("array", False), "num_items": _INT,
    "order_id": _STR_NULL, "search_string": _STR_NULL, "opt_out_type": _STR_NULL, "np": _STR_NULL,
    # 5.23.0 additions (all nullable)
    "predicted_ltv": _STR_NULL, "external_measurement_id": _STR_NULL, "external_measurement_vendor_id": ("integer", True),
}
CONTENT_FIELDS = {"id": _STR, "item_price": _STR, "quantity": _INT, "item_name": _STR, "item_category": _STR,
                  "item_brand": _STR}
EVENT_FIELDS = frozenset(REQUIRED_EVENT_FIELDS) | frozenset(OPTIONAL_EVENT_FIELDS)
DECIMAL_FIELDS = ("value", "item_price", "predicted_ltv")

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_TYPES = {"string": str, "boolean": bool, "object": dict, "array": list}


def conversion_token(seed: int, user_id: str) -> str:
    """The conversion token the emulator issues for a user (stable per seed).

    Example:
        >>> token = conversion_token(42, "549755885175")
        >>> token.startswith(CONVERSION_TOKEN_PREFIX), len(token) - len(CONVERSION_TOKEN_PREFIX)
        (True, 24)
        >>> token == conversion_token(42, "549755885175") != conversion_token(43, "549755885175")
        True
    """
    digest = hashlib.blake2b(f"conversion-token:{seed}:{user_id}".encode(), digest_size=12).hexdigest()
    return CONVERSION_TOKEN_PREFIX + digest


def _is_type(value, json_type: str) -> bool:
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[json_type])


def _type_problems(obj: dict, fields: dict, prefix: str) -> list[str]:
    """Type problems of the known optional fields of one object."""
    problems = []
    for name, (json_type, nullable) in fields.items():
        if name not in obj or (obj[name] is None and nullable):
            continue
        value = obj[name]
        if not _is_type(value, json_type):
            problems.append(f"{prefix}{name} must be {'an' if json_type[0] in 'aoi' else 'a'} {json_type}")
        elif name in DECIMAL_FIELDS and not _is_decimal(value):
            problems.append(f"{prefix}{name} must be a decimal string")
    return problems


def _is_decimal(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _unknown(obj: dict, allowed, prefix: str) -> list[str]:
    extra = [f"{prefix}{key}" for key in obj if key not in allowed]
    if not extra:
        return []
    return [f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(extra)}"]


def _custom_data_problems(custom: dict) -> list[str]:
    problems = _unknown(custom, CUSTOM_DATA_FIELDS, "custom_data.") + _type_problems(custom, CUSTOM_DATA_FIELDS,
                                                                                      "custom_data.")
    if isinstance(custom.get("content_ids"), list) and not all(isinstance(i, str) for i in custom["content_ids"]):
        problems.append("custom_data.content_ids must be an array of strings")
    for index, item in enumerate(custom.get("contents") if isinstance(custom.get("contents"), list) else []):
        prefix = f"custom_data.contents[{index}]."
        if not isinstance(item, dict):
            problems.append(f"custom_data.contents[{index}] must be an object")
            continue
        problems += _unknown(item, CONTENT_FIELDS, prefix) + _type_problems(item, CONTENT_FIELDS, prefix)
    return problems


def _user_data_problems(user: dict) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` of ``user_data``."""
    errors, warnings = [], []
    for name in HASHED_FIELDS:
        if name not in user:
            continue
        values = user[name]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            errors.append(f"user_data.{name} must be an array of strings")
        elif not all(_SHA256_HEX.match(v) for v in values):
            warnings.append(f"user_data.{name} holds values that are not SHA-256 hex; send lowercase SHA-256 hex")
    for name in PLAIN_USER_FIELDS:
        if name in user and not isinstance(user[name], str):
            errors.append(f"user_data.{name} must be a string")
    extra = [key for key in user if key not in HASHED_FIELDS and key not in PLAIN_USER_FIELDS]
    if extra:
        warnings.append(f"user_data field{'s' if len(extra) > 1 else ''} {', '.join(extra)} not recognised; ignored")

    def present(name: str) -> bool:
        return isinstance(user.get(name), (list, str)) and len(user[name]) > 0

    if not (present("em") or present("hashed_maids") or (present("client_ip_address") and present("client_user_agent"))):
        errors.append("user_data needs em, hashed_maids, or both client_ip_address and client_user_agent")
    return errors, warnings


def check_event(event, now: int, max_age_days: int | None = DEFAULT_MAX_EVENT_AGE_DAYS) -> tuple[list[str], list[str]]:
    """``(errors, warnings)`` of one event at emulator time ``now`` (no errors = processed);
    ``max_age_days`` None accepts any past ``event_time``.

    Example:
        >>> errors, warnings = check_event({"event_name": "lead", "action_source": "web", "event_time": 99,
        ...     "event_id": "e1", "user_data": {"em": ["x"]}, "custom_data": {"search_query": "sofa"}}, now=100)
        >>> errors
        ['unknown field custom_data.search_query']
        >>> warnings[0].split(";")[0]
        'user_data.em holds values that are not SHA-256 hex'
    """
    if not isinstance(event, dict):
        return ["the event must be a JSON object"], []
    errors = _unknown(event, EVENT_FIELDS, "")
    warnings: list[str] = []
    missing = [name for name in REQUIRED_EVENT_FIELDS if event.get(name) is None]
    if missing:
        errors.append(f"missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    name, source = event.get("event_name"), event.get("action_source")
    if name is not None and name not in EVENT_NAMES:
        errors.append(f"event_name {name!r} is not one of {', '.join(EVENT_NAMES)}")
    if source is not None and source not in ACTION_SOURCES:
        errors.append(f"action_source {source!r} is not one of {', '.join(ACTION_SOURCES)}")
    event_id = event.get("event_id")
    if event_id is not None and (not isinstance(event_id, str) or not event_id):
        errors.append("event_id must be a non-empty string")
    errors += _time_problems(event.get("event_time"), now, max_age_days)
    user = event.get("user_data")
    if user is not None:
        if isinstance(user, dict):
            user_errors, warnings = _user_data_problems(user)
            errors += user_errors
        else:
            errors.append("user_data must be an object")
    errors += _type_problems(event, OPTIONAL_EVENT_FIELDS, "")
    if isinstance(event.get("custom_data"), dict):
        errors += _custom_data_problems(event["custom_data"])
    errors += [p for p in context_problems(event) if not p.endswith("must be an object")]  # typed above
    return errors, warnings


def _time_problems(event_time, now: int, max_age_days: int | None) -> list[str]:
    if event_time is None:
        return []
    if not _is_type(event_time, "integer"):
        return ["event_time must be an integer (Unix seconds)"]
    if event_time > now + MAX_FUTURE_SKEW_SECONDS:
        return ["event_time is in the future"]
    if max_age_days is not None and event_time < now - max_age_days * 86400:
        return [f"event_time is older than {max_age_days} days (the emulator's guess at Pinterest's window; "
                f"the spec states none)"]
    return []


def check_batch(body) -> list:
    """The events of a request body; ApiError 400 code 4196 when the top level is wrong.

    Example:
        >>> check_batch({"data": [{}]})
        [{}]
        >>> check_batch({"data": [{}], "extra": 1})
        Traceback (most recent call last):
        ...
        pintools.emulator.errors.ApiError: The request was invalid. unknown top-level field extra
    """

    def invalid(detail: str) -> ApiError:
        return ApiError(400, INVALID_REQUEST[0], f"{INVALID_REQUEST[1]} {detail}")

    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    extra = [key for key in body if key != "data"]
    if extra:
        raise invalid(f"unknown top-level field{'s' if len(extra) > 1 else ''} {', '.join(extra)}")
    events = body.get("data")
    if not isinstance(events, list):
        raise invalid("data must be an array of events.")
    if not 1 <= len(events) <= MAX_EVENTS:
        raise invalid(f"data must hold 1 to {MAX_EVENTS} events; got {len(events)}.")
    return events


def _result(errors: list[str], warnings: list[str]) -> dict:
    return {"status": "failed" if errors else "processed", "error_message": "; ".join(errors) or None,
            "warning_message": "; ".join(warnings) or None}


class Conversions:
    """Received conversion events per ad account, deduplicated by ``event_id``.

    Not thread-safe by itself: the state lock guards it. A reset builds a new one.

    Example:
        >>> from pintools.emulator.models.clock import Clock
        >>> owners = {"7": "me", "8": "me", "9": "someone-else"}
        >>> book = Conversions(Clock(fixed=1_000_000), seed=1, user_of=owners.get)
        >>> token = book.token_for("7")
        >>> book.accepts(token, "7"), book.accepts(token, "8"), book.accepts(token, "9")
        (True, True, False)
    """

    def __init__(self, clock: Clock, seed: int, user_of: Callable[[str], str | None] | None = None):
        self.clock = clock
        self.seed = seed
        self.user_of = user_of or (lambda account_id: account_id)  # ad account id -> its token's user
        # Text only: a dict of str -> str is not tracked by the garbage collector (a million events
        # as dicts, or a dict of a million records, made each full collection stall answers).
        self._recorded: dict[str, dict[str, str]] = {}  # ad_account_id -> event_id -> record text (_record)
        self._batches: list[bytes] = []  # each request's first receipts, marshal-serialised (in-process only)
        self._sequence = 0  # arrival order across accounts
        self._issued: dict[str, str] = {}  # conversion token issued by oauth/conversion_token -> its user
        self.behaviour: dict = {}
        self.configure()

    def configure(self, max_event_age_days: int | None = DEFAULT_MAX_EVENT_AGE_DAYS) -> dict:
        """Set the oldest ``event_time`` accepted, in days before now (None: any age); the spec
        states no window, so this is the emulator's guess. ValueError on a bad value.

        Example:
            >>> from pintools.emulator.models.clock import Clock
            >>> Conversions(Clock(fixed=0), seed=1).configure(max_event_age_days=None)
            {'max_event_age_days': None}
        """
        days = max_event_age_days
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
            raise ValueError("max_event_age_days must be an integer >= 1, or null for no limit")
        self.behaviour = {"max_event_age_days": days}
        return dict(self.behaviour)

    def token_for(self, account_id: str) -> str:
        """The conversion token that works on an ad account: its user's."""
        return conversion_token(self.seed, str(self.user_of(account_id)))

    def accepts(self, token: str | None, account_id: str | None) -> bool:
        """Whether ``token`` is a conversion token of the user who reaches ``account_id``."""
        if not token or not account_id or self.user_of(account_id) is None:
            return False
        user = self.user_of(account_id)
        issued = any(secrets.compare_digest(token.encode(), t.encode()) for t, u in self._issued.items() if u == user)
        return issued or secrets.compare_digest(token.encode(), self.token_for(account_id).encode())

    def issue_token(self, user: str) -> str:
        """A new conversion token of ``user`` (``oauth/conversion_token``), valid on ``events/create`` of
        every account that user reaches, until a reset.

        Example:
            >>> from pintools.emulator.models.clock import Clock
            >>> book = Conversions(Clock(fixed=0), seed=1, user_of={"7": "me"}.get)
            >>> book.accepts(book.issue_token("me"), "7"), book.issue_token("me") != book.issue_token("me")
            (True, True)
        """
        token = CONVERSION_TOKEN_PREFIX + secrets.token_hex(12)
        self._issued[token] = user
        return token

    def receive(self, account_id: str, body, test: bool) -> dict:
        """Check a request body and record its processed events (unless ``test``); the
        ``ConversionApiResponse``. ApiError 400 code 4196 when the top level is wrong."""
        events = check_batch(body)
        now = self.clock.now()
        results, seen, first_receipts = [], set(), []
        recorded = self._recorded.get(account_id, {})
        for event in events:
            errors, warnings = check_event(event, now, self.behaviour["max_event_age_days"])
            if not errors:
                event_id = event["event_id"]
                if event_id in recorded or event_id in seen:
                    warnings.append(DUPLICATE_WARNING)
                seen.add(event_id)
                if not test:
                    recorded = self._record(account_id, event, now, first_receipts)
            results.append(_result(errors, warnings))
        if first_receipts:
            self._batches.append(marshal.dumps(first_receipts))
        processed = sum(1 for r in results if r["status"] == "processed")
        return {"num_events_received": len(results), "num_events_processed": processed, "events": results}

    def _record(self, account_id: str, event: dict, now: int, first_receipts: list) -> dict[str, str]:
        """Count a receipt (a first one joins this request's batch); the account's records."""
        recorded = self._recorded.setdefault(account_id, {})
        event_id = event["event_id"]
        record = recorded.get(event_id)
        if record is not None:
            times, rest = record.split(" ", 1)
            recorded[event_id] = f"{int(times) + 1} {rest}"
            return recorded
        # "times_received sequence received_at batch position": the event is _batches[batch][position]
        recorded[event_id] = f"1 {self._sequence} {now} {len(self._batches)} {len(first_receipts)}"
        self._sequence += 1
        first_receipts.append(event)
        return recorded

    def summary(self, account_id: str | None = None) -> dict:
        """Counts without the events: ``{"recorded": n, "times_received": {"1": n1, "2": n2, ...}}``."""
        counts: dict[str, int] = {}
        for acct, recorded in self._recorded.items():
            if account_id is None or acct == account_id:
                for record in recorded.values():
                    key = record[: record.index(" ")]
                    counts[key] = counts.get(key, 0) + 1
        return {"recorded": sum(counts.values()), "times_received": counts}

    def events(self, account_id: str | None = None) -> list[dict]:
        """Recorded events in arrival order (one ad account, or all): ``{ad_account_id, event_id,
        event_name, action_source, event_time, received_at, times_received, event}`` (new objects:
        each batch is rebuilt once per call)."""
        rows = []
        for acct, recorded in self._recorded.items():
            if account_id is None or acct == account_id:
                for event_id, record in recorded.items():
                    times, sequence, received_at, batch, position = map(int, record.split(" "))
                    rows.append((sequence, acct, event_id, times, received_at, batch, position))
        rows.sort()
        parsed: dict[int, list] = {}
        out = []
        for _, acct, event_id, times, received_at, batch, position in rows:
            if batch not in parsed:
                parsed[batch] = marshal.loads(self._batches[batch])
            event = parsed[batch][position]
            out.append({"ad_account_id": acct, "event_id": event_id, "event_name": event["event_name"],
                        "action_source": event["action_source"], "event_time": event["event_time"],
                        "received_at": received_at, "times_received": times, "event": event})
        return out


def calls_from_log(entries: list[dict], account_id: str | None = None) -> list[dict]:
    """Per-call view of ``events/create`` request-log entries (every call, 401/429/faults included):
    ``{seq, time, ad_account_id, test, events, status, fault}``; ``events`` is the number of events
    the body held (None when ``data`` was not a list).

    Example:
        >>> entry = {"seq": 3, "time": 1.5, "operation_id": "events/create", "path": "/v5/ad_accounts/42/events",
        ...          "query": {"test": ["true"]}, "json": {"data": [{}, {}]}, "status": 200, "fault": None}
        >>> calls_from_log([entry])
        [{'seq': 3, 'time': 1.5, 'ad_account_id': '42', 'test': True, 'events': 2, 'status': 200, 'fault': None}]
    """
    calls = []
    for entry in entries:
        if entry.get("operation_id") != "events/create":
            continue
        parts = entry["path"].strip("/").split("/")
        acct = parts[2] if len(parts) > 2 else None
        if account_id is not None and acct != account_id:
            continue
        test = (entry.get("query") or {}).get("test") or ["false"]
        body = entry.get("json")
        data = body.get("data") if isinstance(body, dict) else None
        count = body.lengths.get("data") if isinstance(body, LoggedBody) else len(data) if isinstance(data, list) else None
        calls.append({"seq": entry["seq"], "time": entry["time"], "ad_account_id": acct,
                      "test": test[-1].strip().lower() in ("true", "1"), "events": count,
                      "status": entry["status"], "fault": entry.get("fault")})
    return calls
