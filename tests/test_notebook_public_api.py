"""Notebook 08 and the recipes use pintools' public API only: what a reader can copy into their
own code, with nothing that exists only on the emulator or inside a module."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = [ROOT / "notebooks" / "08_lead_inbox.ipynb", *sorted((ROOT / "recipes").glob("*.ipynb"))]
#: internals a notebook once reached into: the emulator's control client, the receiver's web stack
FORBIDDEN = ("client.emulator", ".control", "waitress", "create_server", "KeyRing", "create_receiver",
             "fire_leads", "advance_clock", "set_clock")
IMPORT = re.compile(r"^from (pintools[\w.]*) import (.+)$", re.MULTILINE)


def _code(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_notebook_uses_no_internals(path):
    code = _code(path)
    used = [name for name in FORBIDDEN if name in code]
    assert not used, f"{path.name} reaches into internals: {used}"


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_every_pintools_import_is_a_public_name_of_its_module(path):
    import importlib

    for module, names in IMPORT.findall(_code(path)):
        mod = importlib.import_module(module)
        for name in (n.strip() for n in names.split(",")):
            assert not name.startswith("_"), f"{path.name} imports the private {module}.{name}"
            public = getattr(mod, "__all__", None)
            assert public is None or name in public, f"{path.name}: {name} is not in {module}.__all__"
            assert getattr(mod, name) is not None
