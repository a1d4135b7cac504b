"""Charts that read right: currency in money labels, archived and draft campaigns left out of
budget charts (and said so), thousands separators on count axes, legends inside the figure."""

import io

import pandas as pd
import pytest

import pintools as pt
from pintools import plots


@pytest.fixture
def demo(aclient):
    accounts = pt.read_ad_accounts(client=aclient)
    campaigns = pd.concat([pt.read_campaigns(a, statuses="all", client=aclient) for a in accounts.id[:2]],
                          ignore_index=True)
    groups = pd.concat([pt.read_ad_groups(a, statuses="all", client=aclient) for a in accounts.id[:2]],
                       ignore_index=True)
    return accounts, campaigns, groups


def _drawn(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(io.BytesIO(), format="png")  # a plain save, no bbox_inches="tight"
    return fig


def test_budget_chart_leaves_out_archived_and_draft_campaigns_and_says_so(demo):
    accounts, campaigns, groups = demo
    fig = _drawn(plots.budgets_by_campaign(campaigns, groups))
    axes = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_xlabel() for ax in axes] == ["Daily budget (GBP)", "Daily budget (USD)"]
    shown = {t.get_text() for ax in axes for t in ax.get_yticklabels()}
    gone = campaigns[campaigns["status"].isin(["ARCHIVED", "DRAFT"])]
    assert len(gone) >= 2 and not shown & set(gone["name"])
    assert f"{len(gone)} archived or draft left out" in fig._suptitle.get_text()
    table = plots.daily_budget_by_campaign(campaigns, groups)
    assert "status" in table.columns and table["daily_budget"].dtype == "Float64"
    usd = table[table["currency"] == "USD"]
    assert (usd["daily_budget"] * 1_000_000 == usd["daily_budget_micro"].astype("Float64")).fillna(True).all()


def test_count_axes_have_thousands_separators_and_legends_fit(aclient):
    account = pt.read_ad_accounts(client=aclient).id[0]
    df = pt.read_analytics(account, "2026-11-02", "2026-11-08", level="ad_group",
                           columns=["IMPRESSION_1", "CLICKTHROUGH_1", "SPEND_IN_MICRO_DOLLAR"], progress=False,
                           client=aclient)
    bars = _drawn(plots.top_entities(df, "IMPRESSION_1", n=5))
    labels = [t.get_text() for t in bars.axes[0].get_xticklabels()]
    assert any("," in text for text in labels) and all("." not in text for text in labels)
    lines = _drawn(plots.metric_over_time(df, "ctr", top=12))
    ax = lines.axes[0]
    assert ax.get_ylabel() == "CTR" and all(t.get_text().endswith("%") for t in ax.get_yticklabels() if t.get_text())
    legend = ax.get_legend().get_window_extent(lines.canvas.get_renderer())
    assert legend.x1 <= lines.bbox.x1 + 1 and legend.y0 >= lines.bbox.y0 - 1  # not cut off by a plain savefig
    spend = _drawn(plots.metric_over_time(df, "SPEND_IN_MICRO_DOLLAR"))
    assert spend.axes[0].get_ylabel() == f"Spend ({aclient.currency_of(account)})"
