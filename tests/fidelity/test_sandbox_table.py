"""The sandbox fact tables (client and emulator) equal the 5.23.0 spec's ``x-sandbox`` marks."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pintools.emulator.models.sandbox import DISABLED_IN_SANDBOX
from pintools.http.sandbox import DISABLED, disabled_operation

pytestmark = pytest.mark.spec

SPEC_523 = (Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "pinterest-openapi-v5.23.0.json").resolve()


@pytest.fixture(scope="module")
def operations() -> list[tuple[str, str, str, str]]:
    """``(operationId, METHOD, path, x-sandbox)`` of every 5.23.0 operation."""
    if not SPEC_523.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Pinterest's OpenAPI 5.23.0 spec is missing at {SPEC_523}")
        pytest.skip(f"Pinterest's OpenAPI 5.23.0 spec is not at {SPEC_523}")
    spec = json.loads(SPEC_523.read_text())
    return [(op["operationId"], method.upper(), path, op.get("x-sandbox"))
            for path, item in spec["paths"].items() for method, op in item.items()
            if isinstance(op, dict) and "operationId" in op]


def test_every_operation_is_marked_enabled_or_disabled(operations):
    assert {mark for *_, mark in operations} == {"enabled", "disabled"}


def test_the_client_table_is_exactly_the_spec_disabled_operations(operations):
    spec = {(op_id, method, path) for op_id, method, path, mark in operations if mark == "disabled"}
    assert set(DISABLED) == spec
    assert len(DISABLED) == len(spec)


def test_the_emulator_table_is_exactly_the_spec_disabled_operation_ids(operations):
    assert DISABLED_IN_SANDBOX == {op_id for op_id, _, _, mark in operations if mark == "disabled"}


def test_every_operation_path_is_judged_as_the_spec_marks_it(operations):
    for op_id, method, path, mark in operations:
        sample = re.sub(r"\{[^}]+\}", "549755885175", path)
        found = disabled_operation(method, sample)
        if mark == "disabled":
            assert found == op_id, (method, path)
        else:
            assert found is None, (method, path, found)
