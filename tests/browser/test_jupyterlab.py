"""The notebooks in a real browser: JupyterLab on loopback, Debian's Chromium, Python Playwright.

Each test opens a notebook, runs all its cells from Lab's Run menu, then uses the widget the
way an analyst does. What landed is checked in the emulator's own log (its control plane),
what was shown is checked as DOM text; screenshots go to ``out/browser/``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import requests

from . import harness

pytestmark = pytest.mark.browser

MONEY = re.compile(r"^(-?[\d,]+\.\d{2,6}) ([A-Z]{3})$")  # exact: at least cents, every significant digit


def _button(scope, label: str):
    """An ipywidgets button by its label (its accessible name also carries the icon glyph)."""
    return scope.locator("button.widget-button", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def _widget_with_button(page, label: str):
    """The cell output that holds the widget with this button."""
    return page.locator(".jp-OutputArea-output").filter(has=_button(page, label))


def _plan_rows(editor) -> list[dict]:
    """The review grid as shown: one dict per row (row, entity type, id, name, field, before, after)."""
    rows = []
    for tr in editor.locator("table.pintools-plan tbody tr").all():
        cells = [c.strip() for c in tr.locator("td").all_inner_texts()]
        entity_type, _, entity_id = cells[1].partition(" ")
        rows.append({"row": int(cells[0]), "entity_type": entity_type, "id": entity_id.strip(), "name": cells[2],
                     "field": cells[3], "before": cells[4], "after": cells[5], "verdict": cells[7]})
    return rows


def test_bid_budget_editor_in_jupyterlab(page, lab, lab_emulator, artifacts):
    from playwright.sync_api import expect

    control = lab_emulator.control
    harness.open_notebook(page, lab, "05_bid_budget_editor.ipynb")
    harness.run_all(page)  # the notebook's own cells apply a plan and undo it: that is the baseline below

    editor = _widget_with_button(page, "Preview")
    expect(editor).to_have_count(1)
    editor.scroll_into_view_if_needed()
    editor.locator(".widget-dropdown", has_text="Rule").locator("select").select_option(label="Scale bids by a factor")
    factor = editor.locator(".widget-text", has_text="Factor").locator("input")
    factor.fill("1.2")
    factor.press("Enter")
    apply_button = _button(editor, "Apply")
    review_status = editor.locator(".widget-html").last

    _button(editor, "Preview").click()
    expect(review_status).to_contain_text(re.compile(r"\d+ change\(s\) ready to send; tick the box to enable Apply\."))
    expect(editor).to_contain_text(re.compile(r"\d+ change\(s\) planned\."))
    expect(apply_button).to_be_disabled()
    planned = _plan_rows(editor)
    assert planned, "the review grid shows no rows"
    n = int(re.search(r"(\d+) change\(s\) planned", editor.inner_text()).group(1))
    assert len(planned) == n, f"the status says {n} changes, the grid shows {len(planned)} rows"
    assert {(r["entity_type"], r["field"], r["verdict"]) for r in planned} == {("ad_group", "bid_in_micro_currency", "ok")}
    for r in planned:  # factor 1.2, as typed into the widget: "after" is exactly 1.2 × "before" in the grid
        before, after = (Decimal(MONEY.match(r[k]).group(1).replace(",", "")) for k in ("before", "after"))
        assert after == (before * Decimal("1.2")).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP), r
    editor.evaluate("e => e.scrollIntoView({block: 'start'})")
    harness.screenshot(page, artifacts / "editor-preview.png")

    last_seq = max((r["seq"] for r in control.requests()), default=0)
    writes_before = control.write_counts()
    jobs_before = len(control.bulk_jobs())

    editor.get_by_label("I have reviewed these changes").check()
    expect(apply_button).to_be_enabled()
    apply_button.click()
    expect(review_status).to_contain_text(re.compile(r"\d+ of \d+ sent .*\. Journal: "))
    assert re.match(rf"{n} of {n} sent \({n} applied\)\. Journal: ", review_status.inner_text())
    expect(editor.locator("table.pintools-plan thead")).to_contain_text("result")
    shown_results = [r[-3].strip() for r in (tr.locator("td").all_inner_texts()
                                            for tr in editor.locator("table.pintools-plan tbody tr").all())]
    assert shown_results == ["applied"] * n
    expect(apply_button).to_be_disabled()
    review_status.evaluate("e => e.scrollIntoView({block: 'end'})")
    harness.screenshot(page, artifacts / "editor-applied.png")

    # what the emulator saw after the click: bulk upserts carrying exactly the reviewed rows, all 2xx
    new = [r for r in control.requests() if r["seq"] > last_seq]
    writes = [r for r in new if r["category"] == "ads_write"]  # (the bid-floor check is a read sent by POST)
    assert writes and all(r["operation_id"] == "bulk_upsert/create" for r in writes), \
        [(r["operation_id"], r["path"]) for r in writes]
    assert all(200 <= r["status"] < 300 for r in new), [(r["method"], r["path"], r["status"]) for r in new]
    sent = {item["id"]: item["bid_in_micro_currency"] for r in writes for item in r["json"]["update"]["ad_groups"]}
    assert set(sent) == {r["id"] for r in planned}
    for r in planned:  # each bid sent is exactly the one the grid showed
        assert Decimal(sent[r["id"]]) / 1_000_000 == Decimal(MONEY.match(r["after"]).group(1).replace(",", "")), \
            (r, sent[r["id"]])

    writes_after = control.write_counts()
    landed = {i: writes_after.get(i, 0) - writes_before.get(i, 0) for i in set(writes_after) | set(writes_before)}
    assert {i: c for i, c in landed.items() if c} == {r["id"]: 1 for r in planned}
    jobs = control.bulk_jobs()[jobs_before:]
    assert [(j["kind"], j["status"]) for j in jobs] == [("upsert", "SUCCEEDED")] * len(writes)
    assert sum(j["items"] for j in jobs) == n

    # and the ad groups now carry the new bids (read back through the API the kernel used)
    account_id = writes[0]["path"].split("/")[3]
    from pintools.emulator import DEMO_ACCESS_TOKEN

    got = requests.get(f"{lab_emulator.base_url}/ad_accounts/{account_id}/ad_groups",
                       params={"ad_group_ids": ",".join(sent), "page_size": 100},
                       headers={"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}, timeout=30)
    got.raise_for_status()
    assert {g["id"]: g["bid_in_micro_currency"] for g in got.json()["items"]} == sent


def test_dashboard_renders_in_jupyterlab(page, lab, lab_emulator, artifacts):
    from playwright.sync_api import expect

    from pintools.emulator import DEMO_ACCESS_TOKEN

    harness.open_notebook(page, lab, "02_performance_dashboard.ipynb")
    harness.run_all(page)  # the notebook's second cell loads ad groups by clicks

    dash = _widget_with_button(page, "Load")
    expect(dash).to_have_count(1)
    dash.scroll_into_view_if_needed()
    expect(dash).to_contain_text(re.compile(r"[\d,]+ rows, \d+ ad groups\."))

    accounts = requests.get(f"{lab_emulator.base_url}/ad_accounts", timeout=30,
                            headers={"Authorization": f"Bearer {DEMO_ACCESS_TOKEN}"}).json()["items"]
    account = dash.locator(".widget-dropdown", has_text="Account").locator("select")
    chosen = account.locator("option:checked")
    expect(chosen).to_have_text(f"{accounts[0]['name']} ({accounts[0]['currency']})")

    table = dash.locator(".widget-tab table")
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_contain_text("ad_group_name")
    expect(table.locator("thead")).to_contain_text("spend")
    assert table.locator("tbody tr").count() >= 5

    dash.locator(".lm-TabBar-tab", has_text="Chart").click()
    chart = dash.locator(".widget-tab img")
    expect(chart).to_be_visible()
    size = chart.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size[0] > 300 and size[1] > 150, size
    harness.screenshot(page, artifacts / "dashboard.png")
