"""What the browser tests and ``scripts/screenshots.sh`` share: an emulator in its own process,
JupyterLab on loopback with a random token whose kernels talk to that emulator, Debian's
Chromium driven by Python Playwright (never ``playwright install``), and small page helpers.

The kernel is pointed at the emulator through its environment, exactly as a user would point
pintools at ``pintools emulator serve``: ``PINTOOLS_BASE_URL=<emulator>/v5`` and
``PINTEREST_ACCESS_TOKEN=<the emulator's demo token>``; every ``PINTOOLS_*`` file location
lives under a temporary directory, and so does every Jupyter config, runtime and workspace dir.

>>> chromium_problem({"PINTOOLS_CHROMIUM": "/nonexistent/chromium"}).startswith("no Chromium at /nonexistent")
True
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pintools.emulator.process import emulator_process as spawn_emulator
from pintools.emulator.process import free_port

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "out" / "browser"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 60_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = ("install Debian's Chromium with `sudo apt-get install chromium` (scripts/test.sh does this "
                "itself when it runs as root), or set PINTOOLS_CHROMIUM to another Chromium binary; "
                "PINTOOLS_SKIP_BROWSER_TESTS=1 skips the browser tests")


def chromium_path(environ: Mapping[str, str] | None = None) -> str:
    """The Chromium binary: ``$PINTOOLS_CHROMIUM``, else Debian's ``/usr/bin/chromium``."""
    environ = os.environ if environ is None else environ
    return environ.get("PINTOOLS_CHROMIUM") or DEFAULT_CHROMIUM


def chromium_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why no browser can start here (with how to fix it), or ``None``."""
    path = chromium_path(environ)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return f"no Chromium at {path}: {INSTALL_HINT}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed: pip install -e '.[test]' (scripts/test.sh does)"
    return None


def _wait_for(url: str, proc: subprocess.Popen, what: str, log: Path | None, timeout: float = 60.0,
              params: Mapping[str, str] | None = None) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if requests.get(url, params=params, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # polling a server that is starting, not synchronising the page
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    state = f"exited with {proc.returncode}" if proc.poll() is not None else f"not up after {timeout:.0f} s"
    raise RuntimeError(f"{what} {state}; its log:\n{tail}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class Emulator:
    """A ``pintools emulator serve`` process: ``base_url`` ends in ``/v5``; ``control`` is its
    :class:`~pintools.emulator.control_client.EmulatorControl`."""

    url: str

    @property
    def base_url(self) -> str:
        return self.url + "/v5"

    @property
    def control(self):
        from pintools.emulator.control_client import EmulatorControl

        return EmulatorControl(self.url)


@contextlib.contextmanager
def emulator_process(workdir: Path) -> Iterator[Emulator]:
    """Start the emulator in its own process (demo data, seed 42) on a free loopback port,
    logging to ``workdir/emulator.log``.

    Its clock is the real one: a client that talks to a URL takes "today" from the real UTC
    date, so the dashboard's default range must not lie in a frozen emulator's future. It inherits
    ``$PINTOOLS_OPENAPI_SPEC`` and the violation log (root ``conftest.py``): its answers are validated."""
    with spawn_emulator(clock=None, env=dict(os.environ), log=workdir / "emulator.log", timeout=60) as base_url:
        yield Emulator(base_url.removesuffix("/v5"))


@dataclass
class Lab:
    """A running JupyterLab: ``url`` (no trailing slash), ``token``, ``root`` (its notebook dir)."""

    url: str
    token: str
    root: Path
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"

    def notebook_url(self, name: str, workspace: str) -> str:
        """The notebook in a workspace of its own (``?reset``: nothing restored from earlier tests)."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{name}?reset&token={self.token}"


def kernel_environment(emulator: Emulator | None, workdir: Path) -> dict[str, str]:
    """The environment JupyterLab (and so every kernel it starts) runs with. ``emulator=None``:
    no credentials, so each kernel runs pintools' built-in emulator on its frozen demo clock
    (what a reader without a token sees)."""
    from pintools.emulator import DEMO_ACCESS_TOKEN

    drop = ("PINTEREST_ACCESS_TOKEN", "PINTEREST_REFRESH_TOKEN", "PINTEREST_APP_ID", "PINTEREST_APP_SECRET",
            "PINTOOLS_BASE_URL", "PINTOOLS_PROFILE", "MPLBACKEND", "JPY_SESSION_NAME")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    dirs = {name: workdir / name for name in ("pintools-config", "pintools-cache", "pintools-journals",
                                              "pintools-leads", "jupyter-config", "jupyter-runtime",
                                              "lab-workspaces", "lab-settings", "ipython")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    # no "get notified about Jupyter news?" toast, no update check (no internet, and it covers widgets)
    notification = dirs["lab-settings"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    if emulator is not None:
        env.update({"PINTOOLS_BASE_URL": emulator.base_url, "PINTEREST_ACCESS_TOKEN": DEMO_ACCESS_TOKEN})
    else:  # the demo as shipped: seed 42 on the frozen demo clock
        env.pop("PINTOOLS_EMULATOR_CLOCK", None)
        env.pop("PINTOOLS_EMULATOR_SEED", None)
    env.update({
        "PINTOOLS_CONFIG": str(dirs["pintools-config"] / "config.ini"),
        "PINTOOLS_CACHE_DIR": str(dirs["pintools-cache"]),
        "PINTOOLS_JOURNAL_DIR": str(dirs["pintools-journals"]),
        "PINTOOLS_LEADS_DB": str(dirs["pintools-leads"] / "leads.sqlite3"),
        "JUPYTER_CONFIG_DIR": str(dirs["jupyter-config"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["jupyter-runtime"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["lab-workspaces"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["lab-settings"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "TQDM_DISABLE": "1",
    })
    return env


def copy_notebooks(dest: Path) -> Path:
    """The project's notebooks, outputs cleared (so "every cell has run" is visible as prompts
    going from ``[ ]`` to ``[n]``)."""
    dest.mkdir(parents=True, exist_ok=True)
    for nb_path in sorted(NOTEBOOKS.glob("*.ipynb")):
        try:
            nb = json.loads(nb_path.read_text())
        except ValueError:  # being rewritten as we read it: not one of ours to clear, copy as is
            shutil.copy2(nb_path, dest / nb_path.name)
            continue
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        nb.get("metadata", {}).pop("widgets", None)
        (dest / nb_path.name).write_text(json.dumps(nb, indent=1))
    for extra in NOTEBOOKS.iterdir():  # data files the notebooks read, if any
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy2(extra, dest / extra.name)
    return dest


@contextlib.contextmanager
def jupyterlab(emulator: Emulator | None, workdir: Path) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a random token over a cleared copy of ``notebooks/``
    (``emulator=None``: kernels on the built-in emulator, see :func:`kernel_environment`)."""
    root = copy_notebooks(workdir / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    log = workdir / "jupyterlab.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
           "--ServerApp.port_retries=0", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=kernel_environment(emulator, workdir), cwd=root,
                                stdout=out, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, proc, log)
    try:
        _wait_for(lab.url + "/api/status", proc, "JupyterLab", log, params={"token": token})
        yield lab
    finally:
        _stop(proc)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Playwright ``Browser`` on the system Chromium (nothing downloaded)."""
    from playwright.sync_api import sync_playwright

    problem = chromium_problem()
    if problem:
        raise RuntimeError(problem)
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:
            raise RuntimeError(f"Chromium at {chromium_path()} did not start ({exc}); {INSTALL_HINT}") from exc
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------------------------- page helpers

def open_notebook(page, lab: Lab, name: str) -> None:
    """Open ``name`` in a fresh workspace and wait until its kernel is idle."""
    from playwright.sync_api import expect

    page.goto(lab.notebook_url(name, re.sub(r"\W", "-", Path(name).stem)))
    expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))).to_be_visible(timeout=TIMEOUT_MS)


def run_all(page) -> None:
    """Run > Run All Cells, then wait until every code cell shows an execution count."""
    page.locator(".jp-NotebookPanel .jp-Notebook").click(position={"x": 5, "y": 5})
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    page.wait_for_function(_ALL_RAN_OR_FAILED, timeout=TIMEOUT_MS)
    tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert tracebacks.count() == 0, "a cell raised: " + " | ".join(tracebacks.all_inner_texts())[:3000]


# every code cell has an execution count (the copies start cleared, "[ ]:"), or a cell raised
_ALL_RAN_OR_FAILED = """() => {
  if (document.querySelector(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")) return true;
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""


def screenshot(page, path: Path, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), **kwargs)
    print(f"screenshot: {path}")
    return path
