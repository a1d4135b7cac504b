"""The fidelity harness misses nothing: a validator crash is a violation (never a pass), the
Conversions API's requests are checked too, every emulator appends its violations to the run's
log file (``$PINTOOLS_SPEC_VIOLATIONS_LOG``, inherited by notebook kernels and emulator
processes), and the root ``conftest.py`` fails the test during which one appeared."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pintools.emulator import DEMO_ACCESS_TOKEN
from pintools.emulator.app import create_app
from pintools.emulator.constants import SPEC_ENV_VAR, VIOLATIONS_ENV_VAR
from pintools.emulator.models import EmulatorState
from pintools.emulator.violation_log import read

REPO = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}


class CrashingValidator:
    """A validator whose request and/or response check raises (a bug in it, or in openapi-core)."""

    def __init__(self, request: bool = True, response: bool = True):
        self.request, self.response = request, response

    def request_errors(self, *args, **kwargs):
        if self.request:
            raise RuntimeError("request check blew up")
        return []

    def response_errors(self, *args, **kwargs):
        if self.response:
            raise KeyError("response check blew up")
        return []


@pytest.fixture
def violation_file(tmp_path, monkeypatch):
    """This test's own violation log (the run's log is left alone)."""
    path = tmp_path / "violations.jsonl"
    monkeypatch.setenv(VIOLATIONS_ENV_VAR, str(path))
    return path


def _client(validator):
    state = EmulatorState(seed=1)
    return state, create_app(state, validator).test_client()


def test_a_crash_validating_a_request_is_a_violation_not_a_pass(violation_file):
    state, client = _client(CrashingValidator(request=True, response=False))
    r = client.get("/v5/ad_accounts", headers=AUTH)
    assert r.status_code == 200  # the answer still comes: the crash is ours, not the caller's
    assert [(v["operation_id"], v["status"]) for v in state.spec_violations] == [("ad_accounts/list", None)]
    assert "validator error on the request: RuntimeError: request check blew up" in state.spec_violations[0]["message"]
    logged, _ = read(violation_file)
    assert [v["message"] for v in logged] == [state.spec_violations[0]["message"]]
    assert logged[0]["pid"] == os.getpid()


def test_a_crash_validating_a_response_is_a_violation_not_a_pass(violation_file):
    state, client = _client(CrashingValidator(request=False, response=True))
    assert client.get("/v5/ad_accounts", headers=AUTH).status_code == 200
    assert [v["status"] for v in state.spec_violations] == [200]
    assert state.spec_violations[0]["message"].startswith("validator error: KeyError")
    assert len(read(violation_file)[0]) == 1


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _event(event_id: str, **extra) -> dict:
    return {"event_name": "checkout", "action_source": "web", "event_time": 1_700_000_000 - 3600,
            "event_id": event_id, "user_data": {"em": [_sha("jo@example.com")]}, **extra}


def test_a_conversions_request_that_breaks_the_spec_is_recorded_yet_answered_per_event(
        openapi_spec_path, violation_file):
    from pintools.emulator.spec import get_validator

    state = EmulatorState(seed=1, clock=1_700_000_000)
    client = create_app(state, get_validator(openapi_spec_path)).test_client()
    account = client.get("/v5/ad_accounts", headers=AUTH).get_json()["items"][0]["id"]
    body = {"data": [_event("good"), _event("odd", custom_event_name="wishlist")]}
    r = client.post(f"/v5/ad_accounts/{account}/events", json=body, headers=AUTH)
    assert r.status_code == 200  # one bad event fails alone; the request is not refused
    assert [e["status"] for e in r.get_json()["events"]] == ["processed", "failed"]
    violations = state.spec_violations
    assert [(v["operation_id"], v["status"]) for v in violations] == [("events/create", None)]
    assert violations[0]["message"].startswith("request: ") and "custom_event_name" in violations[0]["message"]
    assert len(read(violation_file)[0]) == 1
    # a request within the spec records nothing
    state.spec_violations.clear()
    ok = client.post(f"/v5/ad_accounts/{account}/events", json={"data": [_event("fine")]}, headers=AUTH)
    assert ok.status_code == 200 and state.spec_violations == []


def test_the_log_reader_leaves_a_half_written_line_for_the_next_read(tmp_path):
    path = tmp_path / "v.jsonl"
    path.write_text('{"message": "one"}\n{"message": "tw')
    found, offset = read(path)
    assert [v["message"] for v in found] == ["one"]
    with open(path, "a") as out:
        out.write('o"}\n')
    assert [v["message"] for v in read(path, offset)[0]] == ["two"]


def test_the_run_points_every_emulator_at_the_spec_and_the_violation_log():
    """Notebook kernels, recipes under papermill and ``pintools emulator serve`` inherit these."""
    assert os.environ.get(VIOLATIONS_ENV_VAR)
    spec = os.environ.get(SPEC_ENV_VAR)
    if spec is None:
        pytest.skip("Pinterest's OpenAPI spec is not beside the checkout")
    assert Path(spec).is_file()


INNER_TESTS = '''
import os
import pytest
from pintools.emulator.app import create_app
from pintools.emulator.models import EmulatorState
from pintools.emulator.violation_log import record

class Crash:
    def request_errors(self, *a, **k):
        raise RuntimeError("boom")
    def response_errors(self, *a, **k):
        return []

def test_in_process_crash():
    client = create_app(EmulatorState(seed=1), Crash()).test_client()
    assert client.get("/v5/ad_accounts", headers={"Authorization": "Bearer emulator-demo-token"}).status_code == 200

def test_clean():
    assert True

def test_another_process():
    import subprocess, sys
    code = ("from pintools.emulator.models import EmulatorState; from pintools.emulator.violation_log import record;"
            "record(EmulatorState(seed=1), {'operation_id': 'x/y', 'message': 'from a kernel'})")
    subprocess.run([sys.executable, "-c", code], check=True)

@pytest.mark.spec_violations_expected
def test_on_purpose():
    record(EmulatorState(seed=1), {"operation_id": "x/y", "message": "expected"})
'''


def test_the_root_conftest_fails_the_test_during_which_any_emulator_recorded_a_violation(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    env = {k: v for k, v in os.environ.items() if k not in (VIOLATIONS_ENV_VAR, "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-q", "-rA", str(tmp_path / "test_inner.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "ERROR test_inner.py::test_in_process_crash" in out
    assert "ERROR test_inner.py::test_another_process" in out
    assert "PASSED test_inner.py::test_clean" in out and "PASSED test_inner.py::test_on_purpose" in out
    assert "validator error on the request: RuntimeError: boom" in out and "from a kernel" in out
    assert "4 passed, 2 errors" in out


def test_a_violation_outside_any_test_fails_the_session(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_inner.py").write_text(
        "import pytest\n"
        "from pintools.emulator.models import EmulatorState\n"
        "from pintools.emulator.violation_log import record\n"
        "@pytest.fixture(scope='session', autouse=True)\n"
        "def late():\n"
        "    yield\n"
        "    record(EmulatorState(seed=1), {'operation_id': 'x/y', 'message': 'after the last test'})\n"
        "def test_fine():\n"
        "    assert True\n")
    env = {k: v for k, v in os.environ.items() if k not in (VIOLATIONS_ENV_VAR, "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-q", str(tmp_path / "test_inner.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    # the session fixture ends inside the last test's teardown, so that test carries it
    assert done.returncode == 1 and "after the last test" in out, out


@pytest.mark.spec_violations_expected  # provoked on purpose below
def test_an_emulator_process_validates_and_reports_to_the_runs_log(emulator_process, openapi_spec_path):
    """``pintools emulator serve`` (the CLI and browser tests' emulator) inherits the spec and the log."""
    import requests

    base = emulator_process("--seed", "1")
    account = requests.get(base + "/ad_accounts", headers=AUTH, timeout=30).json()["items"][0]["id"]
    run_log = os.environ[VIOLATIONS_ENV_VAR]
    _, before = read(run_log)
    body = {"data": [_event("odd", custom_event_name="wishlist")]}
    requests.post(f"{base}/ad_accounts/{account}/events", json=body, headers=AUTH, timeout=30)
    found, _ = read(run_log, before)
    assert [(v["operation_id"], v["status"]) for v in found] == [("events/create", None)]
    assert found[0]["pid"] != os.getpid()


def test_a_violation_inside_a_notebook_kernel_fails_that_cell(tmp_path):
    """Notebooks run under nbval start their embedded emulator inside the kernel, which inherits the log."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from pintools.emulator.models import EmulatorState\n"
        "from pintools.emulator.violation_log import record\n"
        "record(EmulatorState(seed=1), {'operation_id': 'x/y', 'message': 'from a notebook kernel'})"),
        nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, str(tmp_path / "inner.ipynb"))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k not in (VIOLATIONS_ENV_VAR, "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:randomly", "-p",
                           "no:cacheprovider", "--nbval-lax", "-q", "-rA", str(tmp_path / "inner.ipynb")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode == 1 and "ERROR inner.ipynb::Cell 0" in out and "from a notebook kernel" in out, out
    assert "PASSED inner.ipynb::Cell 1" in out
