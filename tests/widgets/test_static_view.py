"""Each widget's MIME bundle carries a static copy of what it shows (table as text/html, chart as
image/png and inline <img>), so an HTML export, GitHub's viewer and nbval see the content while
JupyterLab shows the live widget; the copy follows the widget's state."""

import html

import pintools as pt
from pintools.plans.review import plan_html

WIDGET = "application/vnd.jupyter.widget-view+json"
LONG_REASON = ("change of +300% exceeds the 50% limit per edit (Guardrails(max_change_pct=50)); "
               "the budget is below the minimum daily budget of 5.00 USD Pinterest accepts for this ad group")


def test_dashboard_bundle_has_the_live_view_and_the_loaded_table_and_chart(wclient):
    dash = pt.widgets.dashboard(wclient)
    before = dash._repr_mimebundle_()
    assert WIDGET in before and before["text/plain"] == repr(dash)
    assert "Choose and press Load" in before["text/html"] and "image/png" not in before
    summary = dash.load()
    after = dash._repr_mimebundle_()
    name = html.escape(summary["campaign_name"].iloc[0])
    assert WIDGET in after and name in after["text/html"]
    assert f"{summary['spend'].iloc[0]:,.2f}" in after["text/html"]        # the money as the table shows it
    assert '<img alt="Spend by day"' in after["text/html"] and 'src="data:image/png;base64,iVBOR' in after["text/html"]
    assert after["image/png"].startswith("iVBOR")                            # base64 of b"\x89PNG"
    dash.level.value = "ad_group"
    groups = dash.load()
    again = dash._repr_mimebundle_()
    assert html.escape(groups["ad_group_name"].iloc[0]) in again["text/html"] and "Ad groups" in again["text/html"]


def test_editor_and_review_bundles_show_the_plan_in_currency_units_and_follow_exclusions(wclient):
    editor = pt.widgets.bid_budget_editor(wclient)
    assert "Choose a rule" in editor._repr_mimebundle_()["text/html"]
    plan = editor.preview()
    bundle = editor._repr_mimebundle_()
    first = plan.changes.iloc[0]
    assert WIDGET in bundle and html.escape(first["name"]) in bundle["text/html"]
    after_units = f"{first['after'] / 1_000_000:.2f} USD"
    assert after_units in bundle["text/html"] and str(int(first["after"])) not in bundle["text/html"]
    assert "net_change" in bundle["text/html"] and "delta_micro" not in bundle["text/html"]
    assert "line-through" not in bundle["text/html"]
    editor.review.exclude_rows("0")
    assert "line-through" in editor.review._repr_mimebundle_()["text/html"]
    assert editor._repr_mimebundle_()["text/html"].count("line-through") == 1


def test_a_long_guardrail_reason_is_shown_in_full_and_wraps():
    plan = pt.EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": "1", "id": "7", "currency": "USD",
                                      "name": "Spring Sofas", "field": "budget_in_micro_currency",
                                      "before": 5_000_000, "after": 20_000_000}])
    plan = plan.with_changes(plan.changes.assign(verdict="blocked", reason=LONG_REASON))
    page = plan_html(plan)
    assert LONG_REASON in page and "…" not in page and "white-space:pre-wrap" in page
    assert "20.00 USD" in page and "20000000" not in page
