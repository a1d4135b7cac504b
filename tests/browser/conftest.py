"""Fixtures for the real-browser tests: one emulator process and one JupyterLab for the session,
Debian's Chromium through Python Playwright, a fresh page per test.

No Chromium is a failure that says how to install it, never a silent skip; set
``PINTOOLS_SKIP_BROWSER_TESTS=1`` to skip these tests on purpose.
"""

from __future__ import annotations

import os

import pytest

from . import harness


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skip on request; otherwise fail, saying how to fix it, when no browser can start here."""
    if os.environ.get("PINTOOLS_SKIP_BROWSER_TESTS") == "1":
        pytest.skip("PINTOOLS_SKIP_BROWSER_TESTS=1: the JupyterLab browser tests are switched off")
    problem = harness.chromium_problem()
    if problem:
        pytest.fail(f"the browser tests cannot run: {problem}", pytrace=False)


@pytest.fixture(scope="session")
def browser_workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="session")
def lab_emulator(browser_ready, browser_workdir) -> harness.Emulator:
    """``pintools emulator serve`` in its own process; the notebooks' kernels talk to it."""
    with harness.emulator_process(browser_workdir) as emu:
        yield emu


@pytest.fixture(scope="session")
def lab(lab_emulator, browser_workdir) -> harness.Lab:
    """JupyterLab on loopback with a random token, kernels pointed at ``lab_emulator``."""
    with harness.jupyterlab(lab_emulator, browser_workdir) as running:
        yield running


@pytest.fixture(scope="session")
def browser(browser_ready):
    try:
        with harness.chromium() as b:
            yield b
    except RuntimeError as exc:  # raised before the yield: Chromium would not start
        pytest.fail(f"the browser tests cannot run: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def artifacts():
    """``out/browser/`` at the repository root (git-ignored): screenshots worth keeping."""
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in harness.ARTIFACTS.glob("FAILED-*.png"):  # from an earlier run
        stale.unlink()
    return harness.ARTIFACTS


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test's report carries a full-page screenshot path, the browser console,
    and the tails of JupyterLab's and the emulator's logs."""
    report = yield
    if report.when == "call" and report.failed and "page" in item.funcargs:
        pg, lab = item.funcargs["page"], item.funcargs.get("lab")
        path = harness.ARTIFACTS / f"FAILED-{item.name}.png"
        try:
            harness.screenshot(pg, path, full_page=True)
            report.sections.append(("failure screenshot", str(path)))
        except Exception as exc:  # the page may be gone; the logs matter more
            report.sections.append(("failure screenshot", f"none: {exc}"))
        report.sections.append(("browser console (errors, warnings)", "\n".join(getattr(pg, "_console", [])[-40:])))
        if lab is not None:
            report.sections.append(("JupyterLab log (tail)", lab.log_text()[-6000:]))
            emu_log = lab.log.parent / "emulator.log"
            if emu_log.exists():
                report.sections.append(("emulator log (tail)", emu_log.read_text(errors="replace")[-3000:]))
    return report


@pytest.fixture
def page(browser, lab, artifacts):
    """A fresh 1280×900 page (60 s timeouts) in a context of its own."""
    from playwright.sync_api import expect

    expect.set_options(timeout=harness.TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(harness.TIMEOUT_MS)
    pg = context.new_page()
    pg._console = []
    pg.on("console", lambda m: pg._console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    yield pg
    context.close()
