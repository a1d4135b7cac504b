"""Where pintools keeps files on the user's machine, and writing private ones safely.

Every location follows one rule: an explicit ``PINTOOLS_*`` variable, else the XDG base
directory (``XDG_CONFIG_HOME``, ``XDG_STATE_HOME``, ``XDG_CACHE_HOME``), else its usual default
under the home directory, then ``pintools/<name>``.

>>> user_path("PINTOOLS_EXAMPLE", "state", "journals", environ={"XDG_STATE_HOME": "/var/s"})
PosixPath('/var/s/pintools/journals')
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

_XDG = {"config": ("XDG_CONFIG_HOME", (".config",)), "state": ("XDG_STATE_HOME", (".local", "state")),
        "cache": ("XDG_CACHE_HOME", (".cache",)), "data": ("XDG_DATA_HOME", (".local", "share"))}


def user_path(variable: str, kind: str, name: str, *, environ: Mapping[str, str] | None = None) -> Path:
    """``$variable`` if set, else ``<XDG base for kind>/pintools/<name>``."""
    environ = os.environ if environ is None else environ
    if environ.get(variable):
        return Path(environ[variable]).expanduser()
    xdg, default = _XDG[kind]
    base = Path(environ[xdg]) if environ.get(xdg) else Path.home().joinpath(*default)
    return base.expanduser() / "pintools" / name


def write_private(path: Path, data: str | bytes) -> None:
    """Replace ``path`` atomically with ``data``, readable by the owner only (0600, folder 0700):
    a crash leaves the old file or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
