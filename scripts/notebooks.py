"""Regenerate and check the committed notebooks and recipes.

    .venv/bin/python scripts/notebooks.py run   [PATHS...]   # execute in place, then normalise
    .venv/bin/python scripts/notebooks.py check [PATHS...]   # report files not normalised or not executed

Default PATHS: notebooks/*.ipynb and recipes/*.ipynb. ``run`` executes each file with nbconvert
from its own folder (recipes with the defaults of their parameters cell) in the environment the
test command uses — built-in emulator, no credentials, user files in a throwaway folder — and then
normalises it; an output that differs from the committed one only in text nbval sanitises
(tests/nbval_sanitize.cfg: plan ids, ports …; widget model ids) is kept as committed, so the diff
of a regenerated notebook shows only what changed. Normalised means: no ``metadata.widgets``
(widget state), no per-cell execution timestamps, no Python patch version, unique cell ids that are
kept once given, and the JSON layout nbformat writes (1-space indent, sorted keys, final newline).
``check`` exits 1 when any file is not normalised, has a code cell that was not executed, was not
run top to bottom in one kernel, or has an error output; tests/test_notebook_files.py runs the same
checks.
"""

from __future__ import annotations

import argparse
import configparser
import copy
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GLOBS = ("notebooks/*.ipynb", "recipes/*.ipynb")
SPEC = (REPO / ".." / "shared" / "reference" / "pinterest-openapi-v5.23.0.json").resolve()
SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: notebook metadata that changes between runs or machines without the notebook changing
VOLATILE_NOTEBOOK_METADATA = ("widgets", "papermill")
#: the same, per cell: nbclient's execution timestamps, papermill's, JupyterLab extensions'
VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime")
#: credentials and locations the kernels must not see (they would turn the emulator into a real account)
_UNSET = ("PINTEREST_ACCESS_TOKEN", "PINTEREST_REFRESH_TOKEN", "PINTEREST_APP_ID", "PINTEREST_APP_SECRET",
          "PINTOOLS_BASE_URL", "PINTOOLS_PROFILE", "PINTOOLS_EMULATOR_SEED", "PINTOOLS_EMULATOR_CLOCK")
_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


# ------------------------------------------------------------------------------------------ normalising
def normalise(nb: nbformat.NotebookNode, name: str = "") -> nbformat.NotebookNode:
    """A copy of ``nb`` without volatile metadata and with stable, unique cell ids (an id
    already given is kept; a missing or duplicate one is derived from ``name`` and the position)."""
    nb = copy.deepcopy(nb)
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata.get("language_info", {}).pop("version", None)   # "3.11.7": the interpreter's patch release
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        ident = cell.get("id")
        if not isinstance(ident, str) or not _CELL_ID.match(ident) or ident in seen:
            ident = _derived_id(name, index, seen)
        cell["id"] = ident
        seen.add(ident)
    return nb


def _derived_id(name: str, index: int, seen: set[str]) -> str:
    salt = 0
    while True:
        ident = hashlib.sha1(f"{name}:{index}:{salt}".encode()).hexdigest()[:8]
        if ident not in seen:
            return ident
        salt += 1


def dumps(nb: nbformat.NotebookNode) -> str:
    """The file text nbformat writes for ``nb`` (1-space indent, sorted keys, final newline)."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def normalised_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    return dumps(normalise(nb, path.stem))


def normalise_file(path: Path) -> bool:
    """Rewrite ``path`` normalised; True if that changed it."""
    before = path.read_text(encoding="utf-8")
    after = normalised_text(path)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def sanitize_patterns(path: Path = SANITIZE) -> list[tuple[re.Pattern, str]]:
    """The regex replacements nbval applies before comparing outputs (tests/nbval_sanitize.cfg)."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(path, encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _comparable(outputs: list, patterns: list[tuple[re.Pattern, str]]) -> dict:
    """Outputs as nbval compares them: grouped by stream name or MIME type (so stdout and stderr may
    interleave either way), volatile text replaced, metadata, counts and widget model ids ignored."""
    def clean(value):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "".join(value)
        if isinstance(value, str):
            for regex, replacement in patterns:
                value = regex.sub(replacement, value)
            return value
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k != "model_id"}
        return [clean(v) for v in value] if isinstance(value, list) else value

    grouped: dict[str, list] = {}
    for out in outputs:
        if out.get("output_type") == "stream":
            grouped.setdefault(f"stream:{out.get('name')}", []).append(clean(out.get("text", "")))
        for key, value in out.items():
            if key in ("output_type", "name", "text", "metadata", "execution_count"):
                continue
            items = value.items() if key == "data" else [(key, value)]
            for name, item in items:
                grouped.setdefault(name, []).append(clean(item))
    return grouped


def keep_committed_outputs(committed: nbformat.NotebookNode, fresh: nbformat.NotebookNode,
                           patterns: list[tuple[re.Pattern, str]]) -> int:
    """Put back the committed outputs of every cell of ``fresh`` whose new outputs differ from them
    only in text nbval sanitises (plan ids, ports, widget model ids …), so that regenerating a
    notebook changes only what really changed. Returns how many cells were kept."""
    before = {c.get("id"): c for c in committed.cells if c.cell_type == "code"}
    kept = 0
    for cell in fresh.cells:
        old = before.get(cell.get("id"))
        if cell.cell_type != "code" or old is None or old.source != cell.source or old.outputs == cell.outputs:
            continue
        if _comparable(old.outputs, patterns) == _comparable(cell.outputs, patterns):
            cell.outputs = copy.deepcopy(old.outputs)
            kept += 1
    return kept


# ------------------------------------------------------------------------------------------ checking
def problems(path: Path) -> list[str]:
    """What is wrong with a committed notebook, one line each; empty when it is fine."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(nb)
    except Exception as exc:  # unreadable or invalid: nothing else can be checked
        return [f"not a valid notebook: {exc}"]
    found = []
    volatile = [f"metadata.{k}" for k in VOLATILE_NOTEBOOK_METADATA if k in nb.metadata]
    if "version" in nb.metadata.get("language_info", {}):
        volatile.append("metadata.language_info.version")
    volatile += sorted({f"cell metadata.{k}" for c in nb.cells for k in VOLATILE_CELL_METADATA if k in c.metadata})
    if volatile:
        found.append("volatile metadata: " + ", ".join(volatile))
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        found.append("kernelspec is not python3")
    if dumps(normalise(nb, path.stem)) != text and not volatile:
        found.append("not in nbformat's layout or cell ids missing/duplicated")
    counts = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.get("execution_count") is None:
            found.append(f"cell {n} was not executed")
        else:
            counts.append(cell.execution_count)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "raises-exception" not in cell.metadata.get("tags", []):
                found.append(f"cell {n} has an error output ({out.get('ename')})")
    if counts and counts != list(range(1, len(counts) + 1)):
        found.append(f"not run top to bottom in one kernel (execution counts {counts})")
    return found


# ------------------------------------------------------------------------------------------ running
def kernel_environment(scratch: Path) -> dict[str, str]:
    """The environment the notebooks are executed in: the test command's, user files under ``scratch``."""
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(TQDM_DISABLE="1", PYTHONHASHSEED="0", MPLBACKEND="Agg",
               PINTOOLS_CONFIG=str(scratch / "config.ini"), PINTOOLS_CACHE_DIR=str(scratch / "cache"),
               PINTOOLS_JOURNAL_DIR=str(scratch / "journals"), PINTOOLS_LEADS_DB=str(scratch / "leads.sqlite3"))
    if SPEC.exists():
        env["PINTOOLS_OPENAPI_SPEC"] = str(SPEC)
    return env


def execute(path: Path, *, timeout: int = 600) -> None:
    """Execute ``path`` in place with nbconvert, from its folder, in :func:`kernel_environment`."""
    with tempfile.TemporaryDirectory(prefix="pintools-notebooks-") as scratch:
        subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                        f"--ExecutePreprocessor.timeout={timeout}", "--log-level=WARN", path.name],
                       cwd=path.parent, env=kernel_environment(Path(scratch)), check=True)


def expand(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p).resolve() for p in paths]
    return sorted(p for pattern in DEFAULT_GLOBS for p in REPO.glob(pattern))


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["run", "check", "normalise"],
                        help="run: execute in place and normalise; check: report problems; "
                             "normalise: only normalise (no execution)")
    parser.add_argument("paths", nargs="*", help="notebooks (default: notebooks/*.ipynb recipes/*.ipynb)")
    args = parser.parse_args(argv)
    paths = expand(args.paths)
    if args.command in ("run", "normalise"):
        started = time.monotonic()
        for path in paths:
            t0, kept = time.monotonic(), 0
            committed = path.read_text(encoding="utf-8")
            if args.command == "run":
                execute(path)
                fresh = nbformat.read(path, as_version=nbformat.NO_CONVERT)
                kept = keep_committed_outputs(nbformat.reads(committed, as_version=nbformat.NO_CONVERT), fresh,
                                              sanitize_patterns())
                nbformat.write(fresh, path)
            normalise_file(path)
            changed = path.read_text(encoding="utf-8") != committed
            print(f"{_shown(path)}: {'changed' if changed else 'unchanged'}"
                  + (f" ({kept} cell(s) kept as committed: they differ only in sanitised text)" if kept else "")
                  + f", {time.monotonic() - t0:.0f} s")
        print(f"{len(paths)} notebook(s) in {time.monotonic() - started:.0f} s")
        return 0
    bad = 0
    for path in paths:
        for line in problems(path):
            print(f"{_shown(path)}: {line}")
            bad += 1
    if bad:
        print(f"{bad} problem(s); fix with: .venv/bin/python scripts/notebooks.py run PATH", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
