"""The emulator notice (and other information lines): an HTML info line inside a Jupyter kernel,
one stderr line in scripts and the CLI; deciding which never imports IPython."""

import subprocess
import sys
import types

import pytest

from pintools import notice


class ZMQInteractiveShell:  # the name ipykernel's shell has
    config: dict = {}


class TerminalInteractiveShell:
    def __init__(self, config):
        self.config = config


def _fake_ipython(monkeypatch, shell):
    shown = []
    display = types.ModuleType("IPython.display")
    display.display = lambda data, raw=False: shown.append((data, raw))
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell
    ipython.display = display
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    return shown


def test_in_a_kernel_the_notice_is_an_html_info_line_not_stderr(monkeypatch, capsys):
    shown = _fake_ipython(monkeypatch, ZMQInteractiveShell())
    assert notice.in_notebook()
    notice.tell("pintools: using the built-in emulator <demo>")
    assert capsys.readouterr().err == ""
    (data, raw), = shown
    assert raw and data["text/plain"] == "pintools: using the built-in emulator <demo>"
    assert data["text/html"].startswith('<div class="pintools-info"') and "&lt;demo&gt;" in data["text/html"]


def test_a_kernel_is_also_known_by_its_config_and_a_terminal_ipython_gets_stderr(monkeypatch, capsys):
    _fake_ipython(monkeypatch, TerminalInteractiveShell({"IPKernelApp": {}}))
    assert notice.in_notebook()
    shown = _fake_ipython(monkeypatch, TerminalInteractiveShell({}))
    assert not notice.in_notebook()
    notice.tell("pintools: hello")
    assert capsys.readouterr().err == "pintools: hello\n" and shown == []


def test_without_ipython_loaded_it_is_one_stderr_line(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not notice.in_notebook()
    notice.tell("pintools: hello")
    assert capsys.readouterr().err == "pintools: hello\n"


@pytest.mark.parametrize("code", ["import pintools.notice as n; n.in_notebook(); n.tell('x')",
                                  "import pintools as pt; pt.connect(emulator=True)"])
def test_scripts_get_the_line_on_stderr_and_never_import_ipython(code):
    run = subprocess.run([sys.executable, "-c", code + "; import sys; print('IPython' in sys.modules)"],
                         capture_output=True, text=True, timeout=120, check=True)
    assert run.stdout.strip() == "False" and run.stderr.strip() and "\n" not in run.stderr.strip()
