"""Send prepared events in batches, within the rate budget, and report every row's result.

:func:`send_conversions` prepares the frame (unless it already is prepared), splits the
sendable rows into calls of up to 1,000 events, sends them from a few threads inside the
``ads_conversions`` budget of the ad account (5,000 calls a minute by default; set another
with ``pt.connect(rate_limits={"ads_conversions": n})``), and retries 429s, 5xx answers and
broken connections — safe, because Pinterest deduplicates on ``event_id``. The answer is a
frame aligned to the input rows: ``status`` is ``processed`` or ``failed`` (Pinterest's verdict,
with its ``error`` and ``warning`` messages), ``invalid`` (refused here before sending, see
``error``), ``not_sent`` (the call itself failed after its retries), ``duplicate`` (an exact copy
of another row, which is sent once as that row; see ``warning``) or ``no_consent`` (never sent:
the user did not consent to advertising, see :mod:`pintools.conversions.consent`). The consent
basis — including pintools' default when no consent information is given, every row treated as
consented — is in ``results.attrs["consent"]`` and in the last row of :func:`summarise_results`.

>>> results = send_conversions(orders, "549755885175", test=True)   # doctest: +SKIP
>>> results.status.value_counts()                                     # doctest: +SKIP
processed    2500
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd

from ..api.conversions import ConversionToken
from ..http.errors import AuthError, InvalidRequest, NotFound, PermissionDenied, PinterestError
from ..http.sandbox import SandboxUnavailable
from ..progress import progress_bar
from .consent import consent_description, withheld
from .dtypes import TEXT
from .fields import MAX_EVENTS_PER_CALL
from .payload import from_events, to_events
from .prepare import ConversionsInvalid, is_prepared, prepare_conversions

STATUSES = ("processed", "failed", "invalid", "not_sent", "duplicate", "no_consent")
TOKEN_VARIABLE = "PINTEREST_CONVERSION_TOKEN"


def send_conversions(
    data: pd.DataFrame,
    ad_account_id: str,
    *,
    test: bool = False,
    client=None,
    conversion_token: str | ConversionToken | None = None,
    on_invalid: str = "raise",
    batch_size: int = MAX_EVENTS_PER_CALL,
    max_workers: int = 4,
    dead_letter: str | os.PathLike | None = None,
    progress: bool = True,
    consent=None,
    **prepare_options,
) -> pd.DataFrame:
    """Send a frame of events; one result row per input row (same index).

    ``data`` is your frame (prepared here with ``prepare_options``, see
    :func:`~pintools.conversions.prepare.prepare_conversions`) or an already prepared frame.
    ``test=True`` asks Pinterest to check without recording. ``conversion_token`` (or the
    ``PINTEREST_CONVERSION_TOKEN`` variable) authorises with an Ads-Manager conversion token
    instead of the client's OAuth token. Rows with problems raise
    :class:`~pintools.conversions.prepare.ConversionsInvalid` before anything is sent, unless
    ``on_invalid="skip"`` (they are then reported as ``invalid``). ``dead_letter`` names a
    JSON-lines file that receives every row not processed, hashed as sent, to fix and send
    again with :func:`read_dead_letter`. ``consent`` (for a frame not yet prepared) says which
    rows may be sent: a column name, True, a mapping of value → verdict or a
    :class:`~pintools.conversions.consent.ConsentRule`; by default a column named ``consent``,
    ``consent_categories``… is read, and without one every row counts as consented (stated in the
    results). Rows without consent are never sent and come back ``no_consent``; a prepared frame
    carries its ``consent`` column.

    Result columns: ``event_id``, ``event_name``, ``status`` (categorical, see
    :data:`STATUSES`), ``error``, ``warning``, ``batch`` (the call number, ``<NA>`` when not
    sent). ``attrs`` hold ``test``, ``ad_account_id``, ``calls``, ``events_sent``, ``consent`` (the
    consent basis, a sentence) and ``dead_letter``.
    """
    from ..client import default_client

    if on_invalid not in {"raise", "skip"}:
        raise ValueError(f"on_invalid must be 'raise' or 'skip', got {on_invalid!r}")
    if not 1 <= int(batch_size) <= MAX_EVENTS_PER_CALL:
        raise ValueError(f"batch_size must be 1 to {MAX_EVENTS_PER_CALL:,}, got {batch_size}")
    client = client or default_client()
    if is_prepared(data):
        if prepare_options or consent is not None:
            ignored = sorted([*prepare_options, *(["consent"] if consent is not None else [])])
            raise TypeError(f"the frame is already prepared; {ignored} would be ignored (give them to "
                            f"prepare_conversions)")
        prepared = data
    else:
        prepared = prepare_conversions(data, client=client, consent=consent, **prepare_options)
    token = _token(conversion_token)
    reasons = withheld(prepared)
    no_consent = reasons.notna().to_numpy()
    invalid = prepared["problems"].notna().to_numpy() & ~no_consent
    if invalid.any() and on_invalid == "raise":
        raise ConversionsInvalid(prepared.loc[invalid, ["event_id", "problems"]], total=len(prepared))

    n = len(prepared)
    status = np.full(n, "invalid", dtype=object)
    copies = ~invalid & ~no_consent & (prepared["duplicate_of"].notna().to_numpy() if "duplicate_of" in prepared else False)
    status[copies] = "duplicate"
    error, warning = _object_array(prepared["problems"]), _object_array(prepared["warnings"])
    status[no_consent] = "no_consent"
    error[no_consent] = reasons[no_consent].tolist()
    batch_of = np.full(n, -1)
    sendable = np.flatnonzero(~invalid & ~copies & ~no_consent)
    batches = list(_batches(sendable, int(batch_size)))
    stop = threading.Event()
    stop_reason: list[str] = []

    def run(number: int, positions: np.ndarray) -> None:
        batch_of[positions] = number
        if stop.is_set():
            status[positions], error[positions] = "not_sent", f"not sent: {stop_reason[0]}"
            return
        events = to_events(prepared.iloc[positions])
        try:
            answer = client.conversions.send(ad_account_id, events, test=test, token=token)
        except SandboxUnavailable:
            raise  # nothing was sent, and no batch can be: say so rather than mark every row not_sent
        except PinterestError as err:
            status[positions], error[positions] = "not_sent", str(err)
            if isinstance(err, (AuthError, PermissionDenied, NotFound)) or (
                    isinstance(err, InvalidRequest) and err.status == 400):
                stop_reason.append(f"an earlier call failed ({type(err).__name__}, HTTP {err.status})")
                stop.set()
            return
        _apply_answer(answer, positions, status, error, warning)

    bar = progress_bar(len(sendable), "checking (test mode)" if test else "sending", "event") if progress else None
    try:
        with ThreadPoolExecutor(max_workers=max(1, int(max_workers)), thread_name_prefix="pintools-capi") as pool:
            futures = {pool.submit(run, number, positions): len(positions) for number, positions in enumerate(batches)}
            for future in as_completed(futures):
                future.result()
                if bar is not None:
                    bar.update(futures[future])
    finally:
        if bar is not None:
            bar.close()

    results = pd.DataFrame({
        "event_id": prepared["event_id"].astype(TEXT),
        "event_name": prepared["event_name"].astype(TEXT),
        "status": pd.Categorical(status, categories=STATUSES),
        "error": pd.array(error, dtype=TEXT),
        "warning": pd.array(warning, dtype=TEXT),
        "batch": pd.array(batch_of, dtype="Int64"),
    }, index=prepared.index)
    results["batch"] = results["batch"].mask(results["batch"] < 0)  # -1: never in a call
    results.attrs.update({"test": bool(test), "ad_account_id": str(ad_account_id), "calls": len(batches),
                          "events_sent": len(sendable), "consent": consent_description(prepared),
                          "dead_letter": None})
    if dead_letter is not None:
        results.attrs["dead_letter"] = str(write_dead_letter(dead_letter, prepared, results))
    return results


def _object_array(values: pd.Series) -> np.ndarray:
    """Strings or None, in a mutable object array the worker threads fill in."""
    out = np.empty(len(values), dtype=object)
    out[:] = [None if pd.isna(v) else v for v in values.tolist()]
    return out


def _token(conversion_token: str | ConversionToken | None) -> ConversionToken | None:
    if isinstance(conversion_token, ConversionToken):
        return conversion_token
    if conversion_token:
        return ConversionToken(conversion_token)
    from_env = os.environ.get(TOKEN_VARIABLE, "").strip()
    return ConversionToken(from_env) if from_env else None


def _batches(positions: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(positions), size):
        yield positions[start:start + size]


def _apply_answer(answer: dict, positions: np.ndarray, status, error, warning) -> None:
    """Zip the per-event answers (request order) back onto the rows."""
    verdicts = answer.get("events") if isinstance(answer, dict) else None
    if not isinstance(verdicts, list) or len(verdicts) != len(positions):
        got = len(verdicts) if isinstance(verdicts, list) else "no"
        status[positions] = "failed"
        error[positions] = (f"Pinterest answered with {got} per-event results for {len(positions)} events; "
                            f"the outcome of each event is unknown")
        return
    for position, verdict in zip(positions, verdicts, strict=True):
        verdict = verdict if isinstance(verdict, dict) else {}
        status[position] = "processed" if verdict.get("status") == "processed" else "failed"
        error[position] = verdict.get("error_message") or (None if status[position] == "processed" else
                                                           "failed (no error message)")
        note = verdict.get("warning_message") or None
        if note:
            warning[position] = f"{warning[position]}; {note}" if warning[position] else note


def write_dead_letter(path: str | os.PathLike, prepared: pd.DataFrame, results: pd.DataFrame) -> Path:
    """Write the rows not processed as JSON lines: ``{"row", "status", "error", "event"}``; rows
    without consent (``no_consent``) are left out: they must not be sent again.

    ``event`` is the payload as it was (or would have been) sent: hashed, no raw PII. The file
    is replaced atomically and readable by its owner only.
    """
    from ..files import write_private

    target = Path(path).expanduser()
    keep = ~results["status"].astype(str).isin(["processed", "duplicate", "no_consent"])
    events = to_events(prepared.loc[keep.to_numpy()]) if keep.any() else []
    lines = [json.dumps({"row": _json_label(label), "status": str(row.status),
                         "error": None if pd.isna(row.error) else str(row.error), "event": event})
             for (label, row), event in zip(results.loc[keep].iterrows(), events, strict=True)]
    write_private(target, "".join(line + "\n" for line in lines))
    return target


def read_dead_letter(path: str | os.PathLike) -> pd.DataFrame:
    """The events of a dead-letter file as a frame to fix and send again (index = original rows).

    Hashes are kept as they are (they are not hashed twice); columns are the field paths, plus
    ``previous_status`` and ``previous_error``.

    >>> retry = read_dead_letter("failed.jsonl")                          # doctest: +SKIP
    >>> send_conversions(retry, "549755885175")                            # doctest: +SKIP
    """
    records = [json.loads(line) for line in Path(path).expanduser().read_text(encoding="utf-8").splitlines()
               if line.strip()]
    frame = from_events([r["event"] for r in records], index=[r["row"] for r in records])
    frame["previous_status"] = [r.get("status") for r in records]
    frame["previous_error"] = [r.get("error") for r in records]
    return frame


def _json_label(label):
    if isinstance(label, (np.integer,)):
        return int(label)
    return label if isinstance(label, (int, str)) else str(label)


def summarise_results(results: pd.DataFrame) -> pd.DataFrame:
    """Counts of results by status and message (``error``, else ``warning``), largest first; for
    results of :func:`send_conversions`, a last row ``consent`` states the consent basis (its
    ``events``: the rows sent on it), also in ``attrs["consent"]``.

    >>> r = pd.DataFrame({"status": ["processed", "failed", "failed"], "error": [None, "x", "x"],
    ...                   "warning": [None, None, None]})
    >>> summarise_results(r).to_dict("records")
    [{'status': 'failed', 'message': 'x', 'events': 2}, {'status': 'processed', 'message': '', 'events': 1}]
    """
    message = results["error"].astype(TEXT).fillna(results["warning"].astype(TEXT)).fillna("")
    table = (pd.DataFrame({"status": results["status"].astype(str), "message": message})
             .value_counts().rename("events").reset_index())
    table = table.sort_values(["events", "status"], ascending=[False, True], ignore_index=True)
    basis = results.attrs.get("consent")
    if basis:
        sent = int((~results["status"].astype(str).isin(["invalid", "duplicate", "no_consent"])).sum())
        table = pd.concat([table, pd.DataFrame({"status": ["consent"], "message": [basis], "events": [sent]})],
                          ignore_index=True)
        table.attrs["consent"] = basis
    return table
