"""The committed notebooks and recipes are normalised, executed top to bottom, and (notebooks/)
open with the house title cell; notebooks/README.md lists them. The checks are those of
``scripts/notebooks.py check``; ``scripts/notebooks.py run PATH`` fixes what they report."""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
RECIPES = sorted((REPO / "recipes").glob("*.ipynb"))


def _load_script():
    spec = importlib.util.spec_from_file_location("pintools_notebooks_script", REPO / "scripts" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


nbscript = _load_script()


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", NOTEBOOKS + RECIPES, ids=_rel)
def test_committed_notebook_is_normalised_and_executed(path):
    assert nbscript.problems(path) == [], f"run: .venv/bin/python scripts/notebooks.py run {_rel(path)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_opens_with_title_what_it_does_and_what_it_needs(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown", f"{path.name}: the first cell must be the markdown title cell"
    number = int(path.name.split("_")[0])
    assert re.match(rf"# {number} · \S", first.source), f"{path.name}: the first line must be '# {number} · Title'"
    for label in ("**What it does:**", "**What it needs:**"):
        assert label in first.source, f"{path.name}: the title cell must say {label}"


def test_notebooks_are_numbered_once_and_listed_in_the_readme_in_reading_order():
    numbers = [int(p.name.split("_")[0]) for p in NOTEBOOKS]
    assert len(numbers) == len(set(numbers)), "two notebooks share a number"
    readme = (REPO / "notebooks" / "README.md").read_text(encoding="utf-8")
    positions = []
    for path in NOTEBOOKS:
        assert path.name in readme, f"notebooks/README.md does not list {path.name}"
        positions.append(readme.index(path.name))
    assert positions == sorted(positions), "notebooks/README.md lists the notebooks out of their reading order"


def _volatile_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    nb.cells = [nbformat.v4.new_markdown_cell("# 1 · T", id="title"),
                nbformat.v4.new_code_cell("1 + 1", id="one", execution_count=1,
                                          metadata={"execution": {"iopub.status.idle": "2026-11-22T22:39:15Z"}},
                                          outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                                                          execution_count=1)]),
                nbformat.v4.new_code_cell("print(2)", id="two")]
    return nb


def test_check_reports_volatile_metadata_unexecuted_cells_and_normalise_fixes_the_metadata(tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_text(nbformat.writes(_volatile_notebook()) + "\n")
    found = nbscript.problems(path)
    assert any("metadata.widgets" in p and "metadata.language_info.version" in p and "cell metadata.execution" in p
               for p in found), found
    assert "cell 2 was not executed" in found
    nbscript.normalise_file(path)
    assert nbscript.problems(path) == ["cell 2 was not executed"]
    text = path.read_text()
    assert nbscript.normalise_file(path) is False and path.read_text() == text   # idempotent
    assert text.startswith('{\n "cells": [\n  {\n') and text.endswith("}\n")


def test_normalise_keeps_given_cell_ids_and_replaces_missing_or_duplicate_ones_stably():
    nb = nbformat.from_dict({**_volatile_notebook(), "cells": [dict(c) for c in _volatile_notebook().cells]})
    nb.cells[2]["id"] = "one"
    del nb.cells[0]["id"]
    first, again = nbscript.normalise(nb, "x"), nbscript.normalise(nb, "x")
    ids = [c.id for c in first.cells]
    assert ids[1] == "one" and len(set(ids)) == 3 and ids == [c.id for c in again.cells]


def test_run_keeps_committed_outputs_that_differ_only_in_sanitised_text():
    committed = _volatile_notebook()
    committed.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "EditPlan(0123456789ab: 1 ok)"},
                                                         execution_count=1)]
    fresh = nbformat.reads(nbformat.writes(committed), as_version=4)
    fresh.cells[1].outputs[0]["data"]["text/plain"] = "EditPlan(ba9876543210: 1 ok)"
    assert nbscript.keep_committed_outputs(committed, fresh, nbscript.sanitize_patterns()) == 1
    assert fresh.cells[1].outputs[0]["data"]["text/plain"] == "EditPlan(0123456789ab: 1 ok)"
    fresh.cells[1].outputs[0]["data"]["text/plain"] = "EditPlan(ba9876543210: 2 ok)"   # a real change stays
    assert nbscript.keep_committed_outputs(committed, fresh, nbscript.sanitize_patterns()) == 0
    assert fresh.cells[1].outputs[0]["data"]["text/plain"] == "EditPlan(ba9876543210: 2 ok)"


FIRST_CODE_CELLS = 3


@pytest.mark.parametrize("path", NOTEBOOKS + RECIPES, ids=_rel)
def test_first_cells_have_no_stderr_output(path):
    """The opening cells (connect, the emulator notice) show information, not a red stderr box:
    in a kernel the notice is a styled HTML line (pintools.notice)."""
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"][:FIRST_CODE_CELLS]
    for number, cell in enumerate(code, 1):
        errors = [o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]
        assert not errors, (f"{path.name}: code cell {number} writes to stderr: {errors[0][:120]!r}; "
                            f"run: .venv/bin/python scripts/notebooks.py run {_rel(path)}")
