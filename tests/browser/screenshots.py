"""Regenerate the README's screenshots with the browser tests' harness (``scripts/screenshots.sh``).

``docs/images/dashboard.png``: the performance dashboard in JupyterLab, 1280 px wide, after
choosing campaigns and spend in the widget and pressing Load, on the Chart tab.

The kernels run without credentials, on pintools' built-in emulator as a reader without a token
does: its clock is frozen at the demo's "today" (``DEMO_CLOCK``), and the dashboard's dates come
from that clock, so the picture shows no date after it.

Run as ``python -m browser.screenshots [OUT_DIR]`` with ``tests/`` on ``sys.path``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from . import harness

DOCS_IMAGES = harness.REPO / "docs" / "images"


def dashboard(page, lab, out: Path) -> Path:
    from playwright.sync_api import expect

    harness.open_notebook(page, lab, "02_performance_dashboard.ipynb")
    harness.run_all(page)
    load = page.locator("button.widget-button", has_text=re.compile(r"^\s*Load\s*$"))
    dash = page.locator(".jp-OutputArea-output").filter(has=load)
    dash.locator(".widget-dropdown", has_text="Level").locator("select").select_option(label="Campaigns")
    dash.locator(".widget-dropdown", has_text="Chart").locator("select").select_option(label="Spend")
    load.click()
    expect(dash).to_contain_text(re.compile(r"[\d,]+ rows, \d+ campaigns\."))
    dash.locator(".lm-TabBar-tab", has_text="Chart").click()
    chart = dash.locator(".widget-tab img")
    expect(chart).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    # more room for the notebook: fold the file browser away, put the dashboard's cell at the top
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    expect(page.locator("#jp-left-stack")).to_be_hidden()
    page.locator(".jp-CodeCell").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    return harness.screenshot(page, out / "dashboard.png")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DOCS_IMAGES
    problem = harness.chromium_problem()
    if problem:
        print(f"cannot take screenshots: {problem}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="pintools-screenshots-"))
    with harness.jupyterlab(None, work) as lab, harness.chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 980})  # the chart's dates in view
        context.set_default_timeout(harness.TIMEOUT_MS)
        try:
            dashboard(context.new_page(), lab, out)
        finally:
            context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
