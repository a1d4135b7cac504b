"""Recipes: parameterised notebooks run headless with papermill.

Parameters are checked before any cell runs: an unknown name or a value that does not fit
the parameter's annotated type is a :class:`~pintools.recipe_params.ParameterError` (a
``ValueError``) that names it, suggests the closest valid name and lists them all — the same
check the recipe's own first cell makes under plain papermill (:mod:`pintools.recipe_params`).
Each run gets a new folder, ``<output_dir>/<UTC time>/`` (``output_dir`` defaulting to
``out/<recipe>``), which holds every file the recipe writes and the executed notebook.
When a cell fails, papermill has already saved the executed notebook there;
:class:`RecipeFailed` names the cell and where the partial notebook is, and a parameter the
recipe's check cell refuses is a ``ParameterError`` again.

Recipes live in the ``recipes/`` folder of the checkout (``$PINTOOLS_RECIPES`` to point
elsewhere).

>>> sorted(list_recipes()["name"])[:1]                                            # doctest: +SKIP
['apply_spreadsheet']
>>> run_recipe("weekly_performance_report", {"level": "ad_group"})           # doctest: +SKIP
PosixPath('out/weekly_performance_report/2026-12-04T140501Z/weekly_performance_report.ipynb')
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .recipe_params import ParameterError, check_names, check_type, new_run_folder

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


class RecipeFailed(RuntimeError):
    """A recipe cell raised; the partially executed notebook was saved at ``output``."""

    def __init__(self, message: str, *, output: Path, cell: int | None) -> None:
        super().__init__(message)
        self.output = output
        self.cell = cell


def recipes_dir() -> Path:
    """Where recipes are looked up: ``$PINTOOLS_RECIPES`` or the checkout's ``recipes/``."""
    if os.environ.get("PINTOOLS_RECIPES"):
        return Path(os.environ["PINTOOLS_RECIPES"]).expanduser()
    return Path(__file__).resolve().parent.parent / "recipes"


def recipe_path(name: str | Path) -> Path:
    """A recipe by name (``weekly_performance_report``) or path; a clear error if there is none."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.exists():
        return path
    candidate = recipes_dir() / f"{Path(name).stem}.ipynb"
    if candidate.exists():
        return candidate
    known = ", ".join(sorted(p.stem for p in recipes_dir().glob("*.ipynb"))) or "none"
    raise ParameterError(f"no recipe {str(name)!r}; recipes in {recipes_dir()}: {known}")


def _description(path: Path) -> str:
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            lines = [ln.strip("# ").strip() for ln in "".join(cell["source"]).splitlines() if ln.strip()]
            return lines[0] if lines else ""
    return ""


def list_recipes() -> pd.DataFrame:
    """Name, title and parameters (``name: type = default``) of every recipe."""
    import papermill as pm

    rows = []
    for path in sorted(recipes_dir().glob("*.ipynb")):
        params = pm.inspect_notebook(str(path))
        shown = ", ".join(f"{n}: {p['inferred_type_name']} = {p['default']}" for n, p in params.items())
        rows.append({"name": path.stem, "title": _description(path), "parameters": shown})
    return pd.DataFrame(rows, columns=["name", "title", "parameters"])


def coerce(name: str, value: Any, type_name: str) -> Any:
    """A parameter value (often a string from the command line) as the annotated type.

    >>> coerce("days", "14", "int"), coerce("dry_run", "false", "bool"), coerce("target", "2.5", "float")
    (14, False, 2.5)
    """
    if not isinstance(value, str):
        ok = {"int": isinstance(value, int) and not isinstance(value, bool), "bool": isinstance(value, bool),
              "float": isinstance(value, (int, float)) and not isinstance(value, bool)}.get(type_name, True)
        if not ok:
            raise ParameterError(f"parameter {name} must be {type_name}, got {value!r}")
        return value
    text = value.strip()
    try:
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
    except ValueError:
        raise ParameterError(f"parameter {name} must be {type_name}, got {value!r}") from None
    if type_name == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ParameterError(f"parameter {name} must be true or false, got {value!r}")
    return value


def run_recipe(name: str | Path, parameters: Mapping[str, Any] | None = None, *,
               output_dir: str | Path | None = None, cwd: str | Path | None = None) -> Path:
    """Run a recipe with ``parameters`` in a new run folder; return the executed notebook's path.

    The run folder is ``<output_dir>/<UTC time>/``: ``output_dir`` here, else the recipe's
    ``output_dir`` parameter, else ``out/<recipe>``; the recipe writes all its files there and
    the executed notebook is saved there as ``<recipe>.ipynb`` (also when a cell fails).

    >>> run_recipe("pause_low_performers", {"acounts": "all"})   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pintools.recipe_params.ParameterError: recipe pause_low_performers has no parameter 'acounts' (did you mean ...
    """
    import papermill as pm

    path = recipe_path(name)
    declared = pm.inspect_notebook(str(path))
    given = dict(parameters or {})
    check_names(given, declared, path.stem)
    checked = {n: coerce(n, v, declared[n]["inferred_type_name"]) for n, v in given.items()}
    for n, v in checked.items():
        check_type(n, v, declared[n]["inferred_type_name"])
    if output_dir is not None and checked.get("output_dir") not in (None, "", str(output_dir)):
        raise ParameterError(f"output_dir given twice ({checked['output_dir']!r} and {str(output_dir)!r}): give one")
    root = output_dir if output_dir is not None else checked.get("output_dir", "")
    folder = new_run_folder(path.stem, root or "", checked.get("run_folder", "")).resolve()
    if "run_folder" in declared:
        checked["run_folder"] = str(folder)
    output = folder / f"{path.stem}.ipynb"
    try:
        pm.execute_notebook(str(path), str(output), parameters=checked, kernel_name="python3", progress_bar=False,
                            cwd=str(cwd) if cwd else None)
    except pm.PapermillExecutionError as exc:
        if exc.ename == "ParameterError":
            raise ParameterError(f"{exc.evalue} (refused by the recipe's check cell; notebook: {output})") from None
        raise RecipeFailed(f"recipe {path.stem} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}); "
                           f"the partial notebook is saved at {output}", output=output, cell=exc.exec_count) from None
    return output
