"""Informational messages (the emulator notice, a saved token): a styled info line in a notebook,
one line on stderr in scripts and the CLI.

A notebook kernel shows stderr as a red box, which reads as an error; an information line is
not one. Which it is is decided without importing IPython: only when IPython is already loaded
(it always is inside a kernel) is its shell asked.

>>> tell("pintools: hello", stream=sys.stdout)      # outside a notebook: one plain line
pintools: hello
"""

from __future__ import annotations

import html
import sys
from typing import TextIO

#: the info line's look (pintools' choice): a pale blue bar, like JupyterLab's own info notes
INFO_STYLE = ("background:#eef6fc;border-left:4px solid #2f80c9;color:#1b3a57;padding:4px 10px;"
              "margin:2px 0;font-size:13px;white-space:pre-wrap")


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, nbconvert, papermill), False in scripts, the CLI
    and a terminal IPython — without importing IPython when it is not loaded yet.

    >>> in_notebook()
    False
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # a half-imported or stubbed IPython: treat as no notebook
        return False
    if shell is None:
        return False
    if type(shell).__name__ == "ZMQInteractiveShell":  # ipykernel's shell
        return True
    try:
        return "IPKernelApp" in shell.config
    except Exception:
        return False


def info_html(message: str) -> str:
    """``message`` as one styled information line (HTML, escaped).

    >>> info_html("a < b").startswith('<div class="pintools-info"')
    True
    """
    return f'<div class="pintools-info" style="{INFO_STYLE}">ⓘ {html.escape(message)}</div>'


def tell(message: str, *, stream: TextIO | None = None) -> None:
    """Show an informational ``message``: in a notebook as a styled line (HTML, plus the plain
    text for consoles and exports), elsewhere as one line on ``stream`` (default stderr).

    >>> tell("pintools: using the built-in emulator", stream=sys.stdout)
    pintools: using the built-in emulator
    """
    if stream is None and in_notebook():
        from IPython.display import display

        display({"text/html": info_html(message), "text/plain": message}, raw=True)
        return
    print(message, file=stream or sys.stderr)
