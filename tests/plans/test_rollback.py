"""Rollback respects later changes: it undoes only what is still as it was applied, starts from
what Pinterest holds now, undoes creates by their created_id, and restores the ad-group budgets
a switch to CBO cleared."""

import pandas as pd
import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal, NothingToApply


@pytest.fixture
def bid_group(pclient, account):
    """An ad group bidding 4.50 USD."""
    groups = pt.read_ad_groups(account, client=pclient)
    gid = groups[(groups["billable_event"] == "CLICKTHROUGH") & groups["bid_in_micro_currency"].notna()]["id"].iloc[0]
    pclient.ad_groups.update(account, [{"id": gid, "bid_in_micro_currency": 4_500_000}])
    return gid


def _bid(client, account, gid):
    return int(pt.read_ad_groups(account, ids=[gid], client=client)["bid_in_micro_currency"].iloc[0])


def test_rollback_blocks_a_value_someone_changed_after_the_apply(pclient, account, bid_group):
    fresh = pt.read_ad_groups(account, ids=[bid_group], client=pclient)
    applied = pt.plans.set_bids(fresh, factor=1.1).validate(pclient).apply(pclient, method="patch", progress=False)
    assert applied.changes["read_back"].tolist() == [4_950_000]
    pclient.ad_groups.update(account, [{"id": bid_group, "bid_in_micro_currency": 5_500_000}])  # Ads Manager

    undo = applied.rollback().validate(pclient)
    row = undo.changes.iloc[0]
    assert row["verdict"] == "blocked"
    assert "changed since it was applied: now 5.50 USD, applied 4.95 USD at 2026-11-15T12:00:00Z" in row["reason"]
    assert "rolling back would overwrite it" in row["reason"] and "plan.force([0])" in row["reason"]
    assert row["before"] == 5_500_000 and row["after"] == 4_500_000 and row["expected"] == 4_950_000
    with pytest.raises(NothingToApply):
        undo.apply(pclient, method="patch", progress=False)
    assert _bid(pclient, account, bid_group) == 5_500_000  # the other person's change stands

    forced = undo.force([0]).validate(pclient)
    assert forced.changes["verdict"].tolist() == ["warn"] and "forced" in forced.changes["reason"].iloc[0]
    forced.apply(pclient, method="patch", progress=False)
    assert _bid(pclient, account, bid_group) == 4_500_000


def test_rollback_of_an_untouched_value_starts_from_what_pinterest_holds(pclient, account, bid_group):
    fresh = pt.read_ad_groups(account, ids=[bid_group], client=pclient)
    applied = pt.plans.set_bids(fresh, factor=1.1).validate(pclient).apply(pclient, progress=False)
    undo = applied.rollback()
    assert undo.validation is None and undo.settings["rollback_of"] == applied.plan_id
    checked = undo.validate(pclient)
    assert checked.changes[["before", "after", "verdict"]].values.tolist() == [[4_950_000, 4_500_000, "ok"]]
    done = checked.apply(pclient, progress=False)
    assert done.changes["result"].tolist() == ["applied"] and _bid(pclient, account, bid_group) == 4_500_000


def test_rollback_of_nothing_applied_is_an_error(pclient, account, bid_group):
    plan = pt.plans.set_bids(pt.read_ad_groups(account, ids=[bid_group], client=pclient), factor=1.1)
    with pytest.raises(ValueError, match="has not been applied"):
        plan.rollback()


def test_creates_get_ids_as_a_column_and_rollback_archives_exactly_those(pclient, account):
    frame = pd.DataFrame({"name": ["Rollback A", "Rollback B"], "objective_type": ["CONSIDERATION"] * 2,
                          "daily_spend_cap": [40_000_000, 50_000_000], "status": ["PAUSED", "PAUSED"]})
    applied = pt.plans.to_campaigns(frame, account).validate(pclient).apply(pclient, progress=False)
    assert applied.changes["result"].tolist() == ["applied", "applied"]
    created = applied.changes["created_id"]
    assert created.str.fullmatch(r"\d+").all() and applied.changes["message"].tolist() == ["", ""]
    assert applied.created_ids.to_dict() == {"new-1": created.iloc[0], "new-2": created.iloc[1]}
    undo = applied.rollback().validate(pclient)
    assert undo.changes[["id", "field", "before", "after"]].values.tolist() == [
        [created.iloc[0], "status", "PAUSED", "ARCHIVED"], [created.iloc[1], "status", "PAUSED", "ARCHIVED"]]
    undo.apply(pclient, progress=False)
    now = pt.read_campaigns(account, ids=created.tolist(), statuses="all", client=pclient)
    assert set(now["status"]) == {"ARCHIVED"}


def test_a_switch_to_cbo_is_rolled_back_with_every_ad_group_budget_restored(pclient, account, emu):
    campaigns = pt.read_campaigns(account, client=pclient)
    groups = pt.read_ad_groups(account, client=pclient)
    plain = campaigns[~campaigns["is_campaign_budget_optimization"].fillna(False)
                      & campaigns["objective_type"].isin(["CONSIDERATION", "AWARENESS", "WEB_CONVERSION"])]
    host = next(c for c in plain.itertuples() if (groups["campaign_id"] == c.id).sum() >= 2)
    ids = groups.loc[groups["campaign_id"] == host.id, "id"].tolist()
    distinct = {gid: 20_000_000 + 1_250_000 * n for n, gid in enumerate(ids)}  # not the default budget
    pclient.ad_groups.update(account, [{"id": i, "budget_in_micro_currency": b} for i, b in distinct.items()])
    budgets = pd.Series(distinct)
    campaigns = pt.read_campaigns(account, client=pclient)
    plan = pt.plans.set_cbo(campaigns[campaigns["id"] == host.id], True)
    if pd.isna(host.daily_spend_cap_micro) and pd.isna(host.lifetime_spend_cap_micro):
        cap = pt.plans.set_budgets(campaigns[campaigns["id"] == host.id], budget=100_000_000)
        plan = pt.EditPlan.from_changes([*plan.changes.to_dict("records"), *cap.changes.to_dict("records")])
    checked = plan.validate(pclient, Guardrails(max_change_pct=1000))
    assert "clears the budgets of its" in checked.changes["reason"].iloc[0]
    applied = checked.apply(pclient, progress=False)
    assert (applied.changes["result"] == "applied").all()
    cleared = pt.read_ad_groups(account, ids=budgets.index.tolist(), client=pclient)
    assert cleared["budget_in_micro_currency"].isna().all()  # Pinterest cleared them
    assert {g["id"]: g["budget_in_micro_currency"] for g in Journal.open(applied.journal).cleared()[host.id]} == \
        budgets.to_dict()

    undo = applied.rollback().validate(pclient, Guardrails(max_change_pct=1000))
    assert not (undo.changes["verdict"] == "blocked").any(), undo.changes["reason"].tolist()
    done = undo.apply(pclient, progress=False)
    assert (done.changes["result"] == "applied").all(), done.changes[["field", "message"]].values.tolist()
    restored = pt.read_ad_groups(account, ids=budgets.index.tolist(), client=pclient).set_index("id")
    assert restored["budget_in_micro_currency"].to_dict() == budgets.to_dict()
    assert not pt.read_campaigns(account, ids=[host.id], client=pclient)["is_campaign_budget_optimization"].iloc[0]
