"""The committed notebooks exported to HTML (nbconvert, as `jupyter nbconvert --to html` does,
without executing them) keep what their widgets show: the dashboard's table and chart, the
editor's and the review's plan rows with money in currency units — not an empty ``Out[1]:``."""

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
INLINE_PNG = r'<img alt="{alt}"[^>]* src="data:image/png;base64,iVBOR'   # nbconvert may reorder attributes


def _widget_output_html(name: str) -> tuple[str, str]:
    """(the exported page cut to the first widget's output, the text/html that output carries)."""
    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert outputs, f"{name}: no widget output"
    body, _ = HTMLExporter().from_notebook_node(nb)
    static = outputs[0]["data"].get("text/html", "")
    assert static, f"{name}: the widget output has no static text/html copy"
    start = body.index('<div class="pintools-static">')        # nbconvert re-indents the HTML it embeds
    return body[start:body.index('<div class="jp-Cell ', start)], static


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_exports_to_html_with_no_empty_widget_output(path):
    nb = nbformat.read(path, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb)
    widgets = sum(WIDGET_VIEW in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert body.count('class="pintools-static"') == widgets, f"{path.name}: a widget output exported empty"


def test_dashboard_export_shows_its_table_rows_money_and_chart():
    body, _ = _widget_output_html("02_performance_dashboard.ipynb")
    assert html.escape("Rugs & Throws – Catalog Shopping") in body   # a campaign of the demo account
    assert re.search(r"<td>\d{1,3}(,\d{3})*\.\d{2}</td>", body)         # spend, in units
    assert re.search(INLINE_PNG.format(alt="Spend by day"), body)


def test_editor_export_shows_the_planned_rows_in_currency_units():
    body, _ = _widget_output_html("05_bid_budget_editor.ipynb")
    assert "Scale bids by a factor" in body
    assert "Spring Sofas – Broad Reach" in body and "4.50 USD" in body and "4.95 USD" in body
    assert "4500000" not in body


def test_plan_review_export_shows_the_spreadsheet_plan_rows():
    body, static = _widget_output_html("06_spreadsheet_bulk_edit.ipynb")
    assert 'class="pintools-plan"' in body and "net_change" in body
    names = re.findall(r'<td style="padding:2px 6px">([^<]+ – [^<]+)</td>', static)
    assert names and all(name in body for name in names)              # every planned ad group, by name
    assert re.search(r"<td[^>]*>\d+\.\d{2} USD</td>", body)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_table_cell_is_cut_with_an_ellipsis(path):
    """pandas cuts text at display.max_colwidth with "..."; reasons, problems and messages are
    shown through pt.readable or the plan's own review instead, in full."""
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            cut = re.findall(r"<td>([^<]*\.\.\.)</td>", output.get("data", {}).get("text/html", ""))
            assert not cut, f"{path.name}, cell {number}: cut text {cut[0]!r}; show it with pt.readable(...)"
