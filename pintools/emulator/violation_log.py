"""Spec violations, recorded in the emulator's state and, when ``$PINTOOLS_SPEC_VIOLATIONS_LOG``
names a file, appended to it as one JSON object a line.

The file lets a test run collect the violations of every emulator it caused, including those
running inside notebook kernels and ``pintools emulator serve`` processes, which inherit the
variable (the repository's root ``conftest.py`` sets it and fails the run if the file is not empty).

Example:
    >>> import os, tempfile
    >>> from pintools.emulator.models import EmulatorState
    >>> path = os.path.join(tempfile.mkdtemp(), "violations.jsonl")
    >>> state = EmulatorState(seed=1)
    >>> record(state, {"operation_id": "ad_accounts/list", "message": "bad"}, log_path=path)
    >>> [v["message"] for v in read(path)[0]]
    ['bad']
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from pintools.emulator.constants import VIOLATIONS_ENV_VAR

_WRITE_LOCK = threading.Lock()


def configured_path() -> str | None:
    """The file named by ``$PINTOOLS_SPEC_VIOLATIONS_LOG`` (read at each call), else None.

    Example:
        >>> configured_path() == (os.environ.get("PINTOOLS_SPEC_VIOLATIONS_LOG") or None)
        True
    """
    return os.environ.get(VIOLATIONS_ENV_VAR) or None


def record(state, violation: dict, log_path: str | os.PathLike | None = None) -> None:
    """Remember a violation in ``state`` and append it to the log file (``log_path``, else the one
    ``$PINTOOLS_SPEC_VIOLATIONS_LOG`` names; none → the state alone). The record carries the
    emulator's process id. A log file that cannot be written is not fatal: the violation stays in
    the state, where the control plane shows it.

    Example:
        >>> from pintools.emulator.models import EmulatorState
        >>> state = EmulatorState(seed=1)
        >>> record(state, {"message": "bad"}, log_path=os.devnull)
        >>> state.spec_violations[-1]["message"]
        'bad'
    """
    state.record_violation(violation)
    path = log_path or configured_path()
    if not path:
        return
    line = json.dumps({**violation, "pid": os.getpid()}, default=str) + "\n"
    try:
        with _WRITE_LOCK, open(path, "a", encoding="utf-8") as out:
            out.write(line)
    except OSError:
        pass


def read(path: str | os.PathLike, offset: int = 0) -> tuple[list[dict], int]:
    """The violations a log file holds from byte ``offset`` on, and the offset just past the last
    complete line read (a missing file → ``([], offset)``; a line still being written is left for
    the next read).

    Example:
        >>> read("/nonexistent/violations.jsonl")
        ([], 0)
    """
    file = Path(path)
    if not file.is_file():
        return [], offset
    with open(file, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    complete = data[: data.rfind(b"\n") + 1]
    out = []
    for text in complete.decode("utf-8", errors="replace").splitlines():
        if text.strip():
            try:
                out.append(json.loads(text))
            except ValueError:  # a garbled record still counts
                out.append({"message": f"unreadable violation record: {text[:200]}"})
    return out, offset + len(complete)
