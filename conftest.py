"""Test-wide setup: isolate user config, make runs deterministic, and point every emulator the
tests start (including those inside notebook kernels) at Pinterest's OpenAPI spec so that each
request and response is validated against it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from pintools.emulator.constants import VIOLATIONS_ENV_VAR

REPO = Path(__file__).resolve().parent
# The spec the emulator is validated against: 5.23.0, the version pintools targets (5.12.0, the
# previous target, still loads: tests/fidelity/test_v523_behaviour.py).
SPEC_PATH = (REPO / ".." / "shared" / "reference" / "pinterest-openapi-v5.23.0.json").resolve()
SPEC_PATH_5_12 = SPEC_PATH.with_name("pinterest-openapi-v5.12.0.json")


def pytest_configure(config: pytest.Config) -> None:
    for var in ("PINTEREST_ACCESS_TOKEN", "PINTEREST_REFRESH_TOKEN", "PINTEREST_APP_ID",
                "PINTEREST_APP_SECRET", "PINTOOLS_BASE_URL", "PINTOOLS_PROFILE"):
        os.environ.pop(var, None)
    # No test, and no notebook kernel the tests start, may read or write the user's config.
    os.environ["PINTOOLS_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="pintools-test-config-")) / "config.ini")
    os.environ["PINTOOLS_CACHE_DIR"] = tempfile.mkdtemp(prefix="pintools-test-cache-")
    # apply journals and lead stores written by tests, notebooks and recipes stay out of $HOME
    os.environ["PINTOOLS_JOURNAL_DIR"] = tempfile.mkdtemp(prefix="pintools-test-journals-")
    os.environ["PINTOOLS_LEADS_DB"] = str(Path(tempfile.mkdtemp(prefix="pintools-test-leads-")) / "leads.sqlite3")
    os.environ["TQDM_DISABLE"] = "1"
    os.environ["MPLBACKEND"] = "Agg"
    if SPEC_PATH.exists():
        os.environ["PINTOOLS_OPENAPI_SPEC"] = str(SPEC_PATH)
    elif os.environ.get("CI") == "true" or os.environ.get("PINTOOLS_REQUIRE_SPEC") == "1":
        raise pytest.UsageError(
            f"CI=true or PINTOOLS_REQUIRE_SPEC=1 (scripts/test.sh) but Pinterest's OpenAPI spec is missing "
            f"at {SPEC_PATH}: every emulator of the run validates against it, so the fidelity checks "
            f"need it (it lives in ../shared/reference/, beside the checkout)."
        )
    # Every emulator the run starts (here, in notebook kernels, in `pintools emulator serve`
    # processes) appends its spec violations to this file; the hooks below fail the test during
    # which one appeared, and the session if any appeared outside a test.
    log = Path(tempfile.mkdtemp(prefix="pintools-test-violations-")) / "violations.jsonl"
    os.environ[VIOLATIONS_ENV_VAR] = str(log)
    config.stash[_VIOLATIONS] = _ViolationWatch(log)
    config.addinivalue_line("markers", "spec_violations_expected: the test provokes spec violations on "
                            "purpose (it checks they are recorded); they do not fail it")


class _ViolationWatch:
    """Reads the run's violation log from where the last check stopped."""

    def __init__(self, path: Path):
        self.path, self.offset = path, 0

    def new(self) -> list[dict]:
        from pintools.emulator.violation_log import read

        found, self.offset = read(self.path, self.offset)
        return found


_VIOLATIONS = pytest.StashKey[_ViolationWatch]()


def _describe_violations(found: list[dict]) -> str:
    lines = [f"- {v.get('operation_id')} {v.get('method')} {v.get('path')} (status {v.get('status')}, "
             f"pid {v.get('pid')}): {v.get('message')}" for v in found[:20]]
    more = f"\n... and {len(found) - 20} more" if len(found) > 20 else ""
    return "\n".join(lines) + more


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Fail the test (at teardown) when any emulator, in this process or another, recorded a spec
    violation while it ran: a unit test, a notebook cell under nbval, a recipe, a CLI or browser test."""
    watch = item.config.stash.get(_VIOLATIONS, None)
    try:
        result = yield
    except BaseException:  # the teardown failed already (e.g. a fixture's own violation check)
        if watch is not None:
            watch.new()  # these belong to this test, not the next one
        raise
    found = watch.new() if watch is not None else []
    if found and item.get_closest_marker("spec_violations_expected") is None:
        raise AssertionError(f"{len(found)} emulator spec violation(s) while this test ran "
                             f"(see {watch.path}):\n{_describe_violations(found)}")
    return result


def pytest_sessionfinish(session, exitstatus):
    """Violations recorded outside any test (e.g. by an emulator process still answering) fail the run."""
    watch = session.config.stash.get(_VIOLATIONS, None)
    found = watch.new() if watch is not None else []
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        text = f"{len(found)} emulator spec violation(s) outside any test:\n{_describe_violations(found)}"
        if reporter is not None:
            reporter.write_line(text, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _own_config_file(tmp_path, monkeypatch):
    """Each test gets an empty config file of its own (rotated tokens land there)."""
    monkeypatch.setenv("PINTOOLS_CONFIG", str(tmp_path / "pintools-config.ini"))


@pytest.fixture(scope="session")
def emulator():
    """One emulator for the session (demo data, seed 42), validating against the spec when present."""
    from pintools.emulator import start

    srv = start(seed=42)
    yield srv
    srv.stop()


@pytest.fixture
def fresh_emulator():
    """An emulator of the test's own, for tests that change data, faults or limits."""
    from pintools.emulator import start

    srv = start(seed=42)
    yield srv
    violations = srv.control.spec_violations()
    srv.stop()
    assert violations == [], f"emulator answers that violate the OpenAPI spec: {violations}"


@pytest.fixture
def client(emulator):
    """A client on the shared emulator that never sleeps long in retries."""
    import pintools as pt

    before = len(emulator.control.spec_violations())
    c = pt.connect(emulator=emulator, quiet=True, retry=pt.RetryPolicy(backoff_base=0.01))
    yield c
    new = emulator.control.spec_violations()[before:]
    assert new == [], f"emulator answers that violate the OpenAPI spec: {new}"


@pytest.fixture(scope="session")
def openapi_spec_path() -> Path:
    """Pinterest's OpenAPI 5.23.0 file in ../shared/reference: skip the test outside this
    workspace, fail it in CI (CI=true), where the fidelity checks must run."""
    if not SPEC_PATH.is_file():
        message = f"Pinterest's OpenAPI spec is not at {SPEC_PATH} (expected ../shared/reference/ beside the checkout)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true: the fidelity tests must run")
        pytest.skip(message)
    return SPEC_PATH


@pytest.fixture(scope="session")
def openapi_spec(openapi_spec_path) -> dict:
    """The spec document, parsed."""
    import json

    return json.loads(openapi_spec_path.read_text())


@pytest.fixture
def emulator_process():
    """Start ``pintools emulator serve`` as its own process on a free loopback port (frozen demo
    clock); call it with extra CLI arguments; yields the base URL; stopped after the test. It
    inherits ``$PINTOOLS_OPENAPI_SPEC`` and the violation log, so its answers are validated too."""
    from contextlib import ExitStack

    from pintools.emulator.process import emulator_process as spawn

    with ExitStack() as stack:
        yield lambda *args: stack.enter_context(spawn(*args, env=dict(os.environ)))
