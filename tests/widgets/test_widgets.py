"""Widgets driven from Python: the calls their buttons make, their states, their error lines."""

import pytest

import pintools as pt
from pintools.widgets.review import parse_rows


def test_dashboard_loads_a_summary_table_and_a_chart(wclient):
    dash = pt.widgets.dashboard(wclient)  # 30 complete days, ending yesterday
    assert repr(dash).startswith("Dashboard(account=") and "2026-10-16..2026-11-14" in repr(dash)
    dash.level.value = "ad_group"
    summary = dash.load()
    assert list(summary.columns[:4]) == ["ad_group_id", "ad_group_name", "currency", "spend"]
    assert {"ctr", "cpc", "cpa", "roas"} <= set(summary.columns) and "ctr_%" not in summary.columns
    assert summary["spend"].is_monotonic_decreasing
    assert "<table" in dash.table.value and dash.chart.value[:4] == b"\x89PNG"
    assert "rows" in dash.status.value


def test_dashboard_shows_a_bad_range_as_one_readable_line(wclient):
    dash = pt.widgets.dashboard(wclient)
    dash.start.value, dash.end.value = dash.end.value, dash.start.value
    assert dash.load() is None
    assert "Check the inputs: end_date" in dash.status.value and "Traceback" not in dash.status.value


def test_editor_preview_exclude_approve_apply(wclient):
    editor = pt.widgets.bid_budget_editor(wclient)
    editor.rule.value, editor.factor.value = "scale_bids", 1.1
    plan = editor.preview()
    assert plan is not None and len(plan) > 3 and editor.review.apply_button.disabled
    editor.review.exclude_rows("0-1")
    editor.review.approve.value = True
    assert not editor.review.apply_button.disabled
    editor.review.method.value = "patch"
    applied = editor.review.apply()
    results = applied.changes.set_index("row")["result"]
    assert results.loc[0] == "skipped" and results.loc[1] == "skipped" and (results.loc[2:] == "applied").all()
    assert editor.review.apply_button.disabled  # a plan is applied once


def test_a_widget_action_with_expired_credentials_reads_as_a_message(wclient):
    editor = pt.widgets.bid_budget_editor(wclient)
    wclient.emulator.control.expire_token(wclient.emulator.access_token)
    assert editor.preview() is None
    assert "did not accept the credentials" in editor.status.value
    assert "Traceback" not in editor.status.value and wclient.emulator.access_token not in editor.status.value


def test_row_ranges():
    assert parse_rows("3, 5-7;9") == [3, 5, 6, 7, 9]
    with pytest.raises(ValueError, match="'x'"):
        parse_rows("1, x")
