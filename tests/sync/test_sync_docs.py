"""The sync commands the README and the orchestrator guide show are commands pintools accepts, and
the exit codes they document are the ones it returns."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

from pintools.cli import build_parser
from pintools.warehouse.runlog import EXIT_CODES, USAGE_EXIT

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "orchestrators.md"]


def _sync_commands(text: str) -> list[str]:
    """Every `pintools sync …` command in the text: in code lines, shell strings and argv lists."""
    found = []
    for match in re.finditer(r"pintools sync(?=\s+-|[\s`\"'|>&)]*$|[`\"'\n|>&)])[^`\"'\n|>&)]*", text, re.M):
        command = match.group(0).split("#")[0].strip()
        if "…" in command:  # prose like `--shard 1/4` … `--shard 4/4`
            command = command.split("…")[0].strip()
        found.append(command)
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_documented_sync_command_parses(doc):
    commands = _sync_commands(doc.read_text())
    assert commands, f"{doc.name} shows no pintools sync command"
    parser = build_parser()
    for command in commands:
        argv = shlex.split(command)[1:]
        if "--help" in argv:
            continue
        try:
            parser.parse_args(argv)
        except SystemExit as exc:  # argparse refuses with exit status 2
            pytest.fail(f"{doc.name}: {command!r} is not a valid command (argparse exit {exc.code})")


def test_the_guide_documents_the_exit_codes_sync_returns():
    table = dict(re.findall(r"^\| `(\d)` \| (\w+)", (ROOT / "docs" / "orchestrators.md").read_text(), re.M))
    documented = {int(code): word for code, word in table.items()}
    assert documented[EXIT_CODES["ok"]] == "every"
    assert documented[EXIT_CODES["partial"]] == "partial"
    assert documented[EXIT_CODES["failed"]] == "failed"
    assert documented[USAGE_EXIT] == "bad"
    assert set(documented) == set(EXIT_CODES.values()) | {USAGE_EXIT}


def test_the_guides_python_examples_are_python():
    text = (ROOT / "docs" / "orchestrators.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) == 2  # Airflow and Dagster
    for block in blocks:
        ast.parse(block)
        assert '"pintools", "sync"' in block or "pintools sync" in block
