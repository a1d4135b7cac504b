"""Edit plans on the emulator: exact money, builders, guardrails (all reported together),
review, the PATCH apply path, journal contents, verification and rollback."""

import json

import pandas as pd
import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal
from pintools.plans.money import scale_micro, to_micro


def test_money_is_exact_integer_micro():
    assert scale_micro(1_000_000, 1.1) == 1_100_000
    assert type(scale_micro(1_000_000, 1.1)) is int
    assert to_micro("0.10") == 100_000 and to_micro(2.675) == 2_675_000
    assert scale_micro(333_333, "1.5") == 500_000  # 499999.5 rounds half up
    with pytest.raises(ValueError, match="not a number"):
        to_micro("abc")


def test_scaling_dollar_bids_by_1_1_lands_as_1100000_micro(pclient, account, emu):
    groups = pt.read_ad_groups(account, client=pclient)
    clicks = groups[(groups["billable_event"] == "CLICKTHROUGH") & groups["bid_in_micro_currency"].notna()]
    one = clicks.head(1).copy()
    setup = pt.plans.set_bids(one, bid=1_000_000).validate(pclient, Guardrails(max_change_pct=100)) \
        .apply(pclient, method="patch", progress=False)
    assert setup.changes["result"].tolist() == ["applied"]
    fresh = pt.read_ad_groups(account, ids=one["id"].tolist(), client=pclient)
    plan = pt.plans.set_bids(fresh, factor=1.1)
    assert plan.changes["after"].tolist() == [1_100_000]
    emu.control.clear_requests()
    applied = plan.validate(pclient).apply(pclient, method="patch", progress=False)
    sent = emu.control.requests(operation_id="ad_groups/update")[0]["json"]
    assert sent == [{"id": one["id"].iloc[0], "bid_in_micro_currency": 1100000}]
    assert applied.changes["result"].tolist() == ["applied"]


def _cbo_and_plain_groups(client, account):
    campaigns = pt.read_campaigns(account, client=client)
    groups = pt.read_ad_groups(account, client=client)
    cbo = set(campaigns.loc[campaigns["is_campaign_budget_optimization"].fillna(False), "id"])
    return groups[groups["campaign_id"].isin(cbo)], groups[~groups["campaign_id"].isin(cbo)]


def test_guardrails_block_with_every_reason_reported_together(pclient, account):
    cbo_groups, plain_groups = _cbo_and_plain_groups(pclient, account)
    plain = plain_groups[plain_groups["budget_in_micro_currency"].notna()].head(1)
    cbo = cbo_groups.head(1)
    bid_group = plain_groups[plain_groups["bid_in_micro_currency"].notna()].head(1)
    changes = [
        # +300 % budget: over the 50 % limit
        {"entity_type": "ad_group", "ad_account_id": account, "id": plain["id"].iloc[0], "currency": "USD",
         "field": "budget_in_micro_currency", "before": int(plain["budget_in_micro_currency"].iloc[0]),
         "after": int(plain["budget_in_micro_currency"].iloc[0]) * 4},
        # an ad-group budget in a CBO campaign
        {"entity_type": "ad_group", "ad_account_id": account, "id": cbo["id"].iloc[0], "currency": "USD",
         "field": "budget_in_micro_currency", "before": None, "after": 5_000_000},
        # a bid below the floor (and, being a 99 % cut, over the change limit too)
        {"entity_type": "ad_group", "ad_account_id": account, "id": bid_group["id"].iloc[0], "currency": "USD",
         "field": "bid_in_micro_currency", "before": int(bid_group["bid_in_micro_currency"].iloc[0]), "after": 10},
        # a status that does not exist
        {"entity_type": "ad_group", "ad_account_id": account, "id": plain["id"].iloc[0], "currency": "USD",
         "field": "status", "before": "ACTIVE", "after": "STOPPED"},
    ]
    checked = pt.EditPlan.from_changes(changes).validate(client=pclient)
    verdicts = checked.changes["verdict"].tolist()
    reasons = checked.changes["reason"].tolist()
    assert verdicts == ["blocked"] * 4
    assert "+300% exceeds the 50% limit" in reasons[0]
    assert "CBO" in reasons[1]
    assert "below Pinterest's bid floor" in reasons[2] and "exceeds the 50% limit" in reasons[2]
    assert "'STOPPED' is not one of" in reasons[3]


def test_the_change_limit_is_overridable_per_plan_and_bid_limits_apply(pclient, account):
    _, plain = _cbo_and_plain_groups(pclient, account)
    row = plain[plain["budget_in_micro_currency"].notna()].head(1)
    plan = pt.plans.set_budgets(row, factor=1.8)
    assert plan.validate(client=pclient).changes["verdict"].tolist() == ["blocked"]
    plan.settings["max_change_pct"] = 100
    assert plan.validate(client=pclient).changes["verdict"].tolist() == ["ok"]
    bids = plain[plain["bid_in_micro_currency"].notna()].head(1)
    capped = pt.plans.set_bids(bids, factor=1.2).validate(client=pclient, guardrails=Guardrails(max_bid_micro=1))
    assert "above the maximum 0.000001 USD" in capped.changes["reason"].iloc[0]


def test_a_stale_entity_is_blocked(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    target = groups[groups["bid_in_micro_currency"].notna()].head(1)
    plan = pt.plans.set_bids(target, factor=1.1)
    # someone edits the ad group after the plan was built
    pclient.ad_groups.update(account, [{"id": target["id"].iloc[0], "name": "Renamed elsewhere"}])
    checked = plan.validate(client=pclient)
    assert checked.changes["verdict"].tolist() == ["blocked"]
    assert "changed in Pinterest since the plan was built" in checked.changes["reason"].iloc[0]


def test_lifetime_budget_needs_an_end_time_and_campaign_caps_are_exclusive(pclient, account):
    campaigns = pt.read_campaigns(account, client=pclient)
    daily = campaigns[campaigns["daily_spend_cap_micro"].notna()].head(1)
    changes = [{"entity_type": "campaign", "ad_account_id": account, "id": daily["id"].iloc[0],
                "field": "lifetime_spend_cap", "before": None, "after": 900_000_000, "currency": "USD"}]
    _, plain = _cbo_and_plain_groups(pclient, account)
    g = plain[plain["end_time"].isna()].head(1)
    changes.append({"entity_type": "ad_group", "ad_account_id": account, "id": g["id"].iloc[0],
                    "field": "budget_type", "before": g["budget_type"].iloc[0], "after": "LIFETIME"})
    reasons = pt.EditPlan.from_changes(changes).validate(client=pclient).changes["reason"].tolist()
    assert "cannot both be set" in reasons[0]
    assert "LIFETIME budget needs an end_time" in reasons[1]


def test_review_html_summary_and_exclusion(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(4), factor=0.9).validate(client=pclient)
    html = plan._repr_html_()
    assert "bid_in_micro_currency" in html and "-10.0%" in html and "USD" in html
    smaller = plan.exclude([0, 1])
    assert smaller.included["row"].tolist() == [2, 3]
    s = smaller.summary()
    assert s.loc[0, "excluded"] == 2 and s.loc[0, "changes"] == 4
    # bids are prices per action: the two included bids are counted as lowered, never summed
    assert (s.loc[0, "up"], s.loc[0, "down"]) == (0, 2) and pd.isna(s.loc[0, "delta_micro"])
    budgets = pt.plans.set_budgets(groups[groups["budget_in_micro_currency"].notna()].head(2), factor=1.1)
    b = budgets.summary()
    assert b.loc[0, "delta_micro"] == int(budgets.included["delta"].sum()) and b.loc[0, "up"] == 2
    assert "EditPlan(" in repr(plan) and "4 ok" in repr(plan)


def test_patch_apply_journals_verifies_and_rolls_back(pclient, account, emu, tmp_path):
    groups = pt.read_ad_groups(account, client=pclient)
    rows = groups[groups["bid_in_micro_currency"].notna()].head(3)
    plan = pt.plans.set_bids(rows, factor=1.2).validate(pclient)
    applied = plan.apply(pclient, method="patch", progress=False)
    assert applied.changes["result"].tolist() == ["applied"] * 3
    journal = Journal.open(applied.journal)
    kinds = [e["type"] for e in journal.events]
    assert kinds[:3] == ["plan", "chunk", "answered"] and kinds[-1] == "done"
    assert {row: r["result"] for row, r in journal.results().items()} == {0: "applied", 1: "applied", 2: "applied"}
    assert applied.changes["read_back"].tolist() == applied.changes["after"].tolist()
    assert applied.changes["applied_at"].notna().all()
    now = pt.read_ad_groups(account, ids=rows["id"].tolist(), client=pclient).set_index("id")
    for r in applied.changes.itertuples():
        assert now.loc[r.id, "bid_in_micro_currency"] == r.after
    undo = applied.rollback()
    assert undo.changes["after"].tolist() == applied.changes["before"].tolist()
    back = undo.validate(pclient).apply(pclient, method="patch", progress=False)
    assert (back.changes["result"] == "applied").all()
    again = pt.read_ad_groups(account, ids=rows["id"].tolist(), client=pclient).set_index("id")
    for r in applied.changes.itertuples():
        assert again.loc[r.id, "bid_in_micro_currency"] == r.before


def test_per_item_failures_are_reported_not_hidden(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    ok = groups[groups["bid_in_micro_currency"].notna()].head(2)
    plan = pt.plans.set_bids(ok, factor=1.1)
    # archive one ad group behind the plan's back, without changing what the plan checks
    pclient.ad_groups.update(account, [{"id": ok["id"].iloc[1], "status": "ARCHIVED"}])
    applied = plan.validate(pclient, Guardrails(check_staleness=False)).apply(pclient, method="patch", progress=False)
    results = dict(zip(applied.changes["id"], applied.changes["result"], strict=True))
    assert results[ok["id"].iloc[0]] == "applied" and results[ok["id"].iloc[1]] == "failed"
    assert applied.changes.loc[applied.changes["result"] == "failed", "message"].iloc[0]


def test_creates_get_their_new_ids(pclient, account):
    campaigns = pt.read_campaigns(account, client=pclient)
    host = campaigns[~campaigns["is_campaign_budget_optimization"].fillna(False)
                     & (campaigns["status"] == "ACTIVE")]["id"].iloc[0]
    frame = pd.DataFrame({"campaign_id": [host, host], "name": ["New A", "New B"],
                          "billable_event": ["CLICKTHROUGH", "CLICKTHROUGH"],
                          "budget_in_micro_currency": [10_000_000, 12_000_000],
                          "bid_in_micro_currency": [1_500_000, 1_500_000], "status": ["PAUSED", "PAUSED"]})
    plan = pt.plans.to_ad_groups(frame, account).validate(pclient)
    applied = plan.apply(pclient, method="patch", progress=False)
    assert applied.changes["result"].tolist() == ["applied", "applied"]
    frame["id"] = applied.created_ids.values
    assert frame["id"].str.fullmatch(r"\d+").all()
    names = pt.read_ad_groups(account, ids=frame["id"].tolist(), statuses="all", client=pclient)
    assert sorted(names["name"]) == ["New A", "New B"]


def test_targeting_edits_send_the_whole_merged_spec(pclient, account, emu):
    groups = pt.read_ad_groups(account, client=pclient)
    groups = groups[groups["targeting_spec"].map(lambda t: "unknown" not in (t or {}).get("GENDER", []))].head(1)
    before = groups["targeting_spec"].iloc[0]
    plan = pt.plans.add_targeting(groups, "GENDER", ["unknown"])
    after = plan.changes["after"].iloc[0]
    assert after["GENDER"] == before["GENDER"] + ["unknown"] and all(after[k] == v for k, v in before.items() if k != "GENDER")
    emu.control.clear_requests()
    plan.validate(pclient).apply(pclient, method="patch", progress=False)
    sent = emu.control.requests(operation_id="ad_groups/update")[0]["json"][0]["targeting_spec"]
    assert sent == after


def test_plan_files_round_trip(tmp_path, pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    plan = pt.plans.pause(groups.head(2)).validate(client=pclient)
    path = plan.to_file(tmp_path / "plan.json")
    again = pt.EditPlan.read(path)
    pd.testing.assert_frame_equal(again.changes, plan.changes)
    assert json.loads(path.read_text())["plan_id"] == plan.plan_id


def test_validate_without_a_client_uses_the_default_one_and_still_checks_cbo(pclient, account):
    cbo_groups, _ = _cbo_and_plain_groups(pclient, account)
    pt.set_default_client(pclient)
    plan = pt.EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": account,
                                      "id": cbo_groups["id"].iloc[0], "field": "budget_in_micro_currency",
                                      "before": None, "after": 20_000_000, "currency": "USD"}])
    assert "CBO" in plan.validate().changes["reason"].iloc[0]


def test_a_match_type_change_and_its_rollback(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    keywords = pt.read_keywords(account, ad_group_ids=groups["id"].tolist(), client=pclient)
    kw = keywords[keywords["match_type"] == "BROAD"].head(1)
    applied = pt.plans.set_match_types(kw, "EXACT").validate(pclient).apply(pclient, method="patch", progress=False)
    assert applied.changes["result"].tolist() == ["applied"]
    new_id = applied.changes["created_id"].iloc[0]
    live = pt.read_keywords(account, ad_group_ids=[kw["parent_id"].iloc[0]], client=pclient).set_index("id")
    assert kw["id"].iloc[0] not in live.index and live.loc[new_id, "match_type"] == "EXACT"
    undo = applied.rollback()
    assert undo.changes["id"].tolist() == [new_id] and undo.changes["after"].tolist() == ["BROAD"]
    undone = undo.validate(pclient).apply(pclient, method="patch", progress=False)
    assert undone.changes["result"].tolist() == ["applied"]
    live = pt.read_keywords(account, ad_group_ids=[kw["parent_id"].iloc[0]], client=pclient)
    same_text = live[live["value"] == kw["value"].iloc[0]]
    assert same_text["match_type"].tolist() == ["BROAD"]
