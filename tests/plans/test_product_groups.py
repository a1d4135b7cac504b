"""Product group promotions: read as a typed frame, edited (bid, status) through an edit plan by
bulk and by PATCH, read back; and their analytics."""

import pandas as pd
import pytest

import pintools as pt
from pintools.plans import Guardrails
from pintools.polling import PollPolicy

FAST = PollPolicy(first=0.01, longest=0.05, settle=2)
NO_FLOORS = Guardrails(check_bid_floors=False)


@pytest.fixture
def product_groups(pclient, account):
    return pt.read_product_groups(account, client=pclient)


def test_read_product_groups_is_typed(product_groups, pclient, account):
    pg = product_groups
    assert len(pg) == 12 and set(pg["status"]) == {"ACTIVE", "PAUSED"}  # 3 CATALOG_SALES ad groups × 4
    assert str(pg["id"].dtype) == "string" and str(pg["ad_group_id"].dtype) == "string"
    assert str(pg["bid_in_micro_currency"].dtype) == "Int64" and (pg["currency"] == "USD").all()
    assert pg["bid_in_micro_currency"].isna().sum() == 3  # "All Products" bids with its ad group
    group = pg["ad_group_id"].iloc[0]
    under = pt.read_product_groups(account, ad_group_ids=[group], statuses="all", client=pclient)
    assert set(under["ad_group_id"]) == {group} and len(under) == 4
    assert list(pt.read_product_groups(account, ids=[pg["id"].iloc[1]], client=pclient)["id"]) == [pg["id"].iloc[1]]
    with pytest.raises(ValueError, match="not both"):
        pt.read_product_groups(account, ids=["1"], ad_group_ids=["2"], client=pclient)


@pytest.mark.parametrize("method", ["bulk", "patch"])
def test_bid_and_status_edits_apply_and_read_back(product_groups, pclient, account, emu, method):
    pg = product_groups.reset_index(drop=True)
    active = pg[(pg["status"] == "ACTIVE") & pg["bid_in_micro_currency"].notna()].head(2)
    desired = pd.DataFrame({"id": active["id"], "bid_in_micro_currency": active["bid_in_micro_currency"] + 100_000,
                            "status": ["PAUSED", "ACTIVE"]})
    plan = pt.EditPlan.from_frames(pg, desired, entity_type="product_group")
    assert sorted(plan.changes["field"]) == ["bid_in_micro_currency", "bid_in_micro_currency", "status"]
    assert set(plan.changes["parent_id"]) == set(active["ad_group_id"])
    emu.control.set_bulk_behaviour(polls_to_finish=1)
    emu.control.clear_requests()
    applied = plan.validate(pclient, NO_FLOORS).apply(pclient, method=method, progress=False, poll=FAST)
    assert (applied.changes["result"] == "applied").all(), applied.changes[["field", "result", "message"]]
    now = pt.read_product_groups(account, statuses="all", client=pclient).set_index("id")
    for row in desired.itertuples():
        assert now.at[row.id, "bid_in_micro_currency"] == row.bid_in_micro_currency
        assert now.at[row.id, "status"] == row.status
    ops = [r["operation_id"] for r in emu.control.requests()]
    assert ("bulk_upsert/create" in ops) == (method == "bulk")
    assert ("product_group_promotions/update" in ops) == (method == "patch")


def test_a_failing_edit_is_reported_failed(product_groups, pclient, emu):
    pg = product_groups
    paused = pg[pg["status"] == "PAUSED"].head(1)
    emu.control.set_bulk_behaviour(polls_to_finish=1, fail_items=[paused["id"].iloc[0]])
    desired = pd.DataFrame({"id": paused["id"], "status": ["ACTIVE"]})
    plan = pt.EditPlan.from_frames(pg, desired, entity_type="product_group")
    applied = plan.validate(pclient, NO_FLOORS).apply(pclient, progress=False, poll=FAST)
    row = applied.changes.iloc[0]
    assert row["result"] == "failed" and "Injected failure" in row["message"]


def test_validation_blocks_a_zero_bid_and_unknown_fields(product_groups, pclient):
    pg = product_groups
    one = pg[pg["bid_in_micro_currency"].notna()].head(1)
    plan = pt.EditPlan.from_frames(pg, pd.DataFrame({"id": one["id"], "bid_in_micro_currency": [0]}),
                                   entity_type="product_group").validate(pclient, NO_FLOORS)
    assert plan.changes["verdict"].iloc[0] == "blocked" and "at least 1 micro" in plan.changes["reason"].iloc[0]
    with pytest.raises(ValueError, match="editable: bid_in_micro_currency, status"):
        pt.EditPlan.from_frames(pg, pd.DataFrame({"id": one["id"], "definition": ["*"]}), entity_type="product_group")


def test_product_group_analytics_frame(product_groups, pclient, account):
    pg = product_groups
    by_id = pt.read_product_group_analytics(account, "2026-11-01", "2026-11-07", product_group_ids=pg["id"],
                                            columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH"], client=pclient)
    assert list(by_id.columns[:4]) == ["ad_account_id", "currency", "product_group_id", "date"]
    assert str(by_id["SPEND_IN_MICRO_DOLLAR"].dtype) == "Int64" and set(by_id["product_group_id"]) <= set(pg["id"])
    groups = pt.read_analytics(account, "2026-11-01", "2026-11-07", level="ad_group",
                               ad_group_ids=sorted(set(pg["ad_group_id"])), columns=["SPEND_IN_MICRO_DOLLAR"],
                               client=pclient)
    assert by_id["SPEND_IN_MICRO_DOLLAR"].sum() <= groups["SPEND_IN_MICRO_DOLLAR"].sum()
    framed = pt.read_product_group_analytics(account, "2026-11-01", "2026-11-07", product_groups=pg,
                                             columns=["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH"], client=pclient)
    pd.testing.assert_frame_equal(framed.drop(columns="catalog_product_group_id"), by_id)


def test_product_group_analytics_under_catalog_ids(product_groups, pclient, account, emu):
    """When Pinterest keys rows by catalog product group, a frame still maps them to promotions."""
    pg = product_groups
    one_group = pg[pg["ad_group_id"] == pg["ad_group_id"].iloc[0]]
    emu.state.product_groups.configure(analytics_ids="catalog")
    framed = pt.read_product_group_analytics(account, "2026-11-01", "2026-11-07", product_groups=one_group,
                                             columns=["SPEND_IN_MICRO_DOLLAR"], client=pclient)
    emu.state.product_groups.configure(analytics_ids="promotion")
    assert len(framed) and set(framed["product_group_id"]) <= set(one_group["id"])
    catalog_of = dict(zip(one_group["id"], one_group["catalog_product_group_id"], strict=True))
    assert all(catalog_of[p] == c for p, c in zip(framed["product_group_id"], framed["catalog_product_group_id"],
                                                   strict=True))


def test_set_bids_scales_product_group_bids_and_leaves_out_inherited_ones(product_groups):
    plan = pt.plans.set_bids(product_groups, factor=1.1)
    sent, left = plan.changes[plan.changes["include"]], plan.changes[~plan.changes["include"]]
    own = product_groups[product_groups["bid_in_micro_currency"].notna()]
    assert set(sent["entity_type"]) == {"product_group"} and len(sent) == len(own)
    assert sorted(sent["after"]) == sorted(round(b * 1.1) for b in own["bid_in_micro_currency"])
    assert len(left) == 3 and left["note"].str.contains("bids with its ad group").all()
