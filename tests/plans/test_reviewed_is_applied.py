"""What you reviewed is what is applied: apply uses the plan's own guardrails, refuses an
unvalidated or outdated plan, raises when nothing can be sent, and says "3 of 10 sent; 7 blocked"."""

import os
import subprocess
import sys

import pytest

import pintools as pt
from pintools.plans import Guardrails, NothingToApply, PlanError, PlanNotValidated, PlanOutdated


def _plain_groups(client, account):
    campaigns = pt.read_campaigns(account, client=client)
    cbo = set(campaigns.loc[campaigns["is_campaign_budget_optimization"].fillna(False), "id"])
    groups = pt.read_ad_groups(account, client=client)
    return groups[~groups["campaign_id"].isin(cbo) & groups["budget_in_micro_currency"].notna()]


def _writes(emu):
    return [r for r in emu.control.requests() if r["method"] in ("POST", "PATCH") and "/v5/" in r["path"]
            and r["operation_id"] != "ad_groups_bid_floor/get"]


def test_apply_uses_the_guardrails_the_plan_was_validated_with(pclient, account, emu):
    group = _plain_groups(pclient, account).head(1)
    plan = pt.plans.set_budgets(group, factor=1.6)  # +60 %: over the default 50 % limit
    reviewed = plan.validate(pclient, Guardrails(max_change_pct=80))
    assert reviewed.changes["verdict"].tolist() == ["ok"]
    applied = reviewed.apply(pclient, method="patch", progress=False)
    assert applied.changes["result"].tolist() == ["applied"]
    assert applied.validation.guardrails.max_change_pct == 80
    now = pt.read_ad_groups(account, ids=group["id"].tolist(), client=pclient)
    assert now["budget_in_micro_currency"].iloc[0] == plan.changes["after"].iloc[0]


def test_an_unvalidated_plan_is_refused_with_the_step_and_nothing_is_sent(pclient, account, emu):
    plan = pt.plans.set_budgets(_plain_groups(pclient, account).head(2), factor=1.1)
    emu.control.clear_requests()
    with pytest.raises(PlanNotValidated, match=r"plan = plan.validate\(\)"):
        plan.apply(pclient, progress=False)
    assert _writes(emu) == []


def test_a_plan_with_nothing_to_send_raises_and_sends_nothing(pclient, account, emu):
    plan = pt.plans.set_budgets(_plain_groups(pclient, account).head(3), factor=3).validate(pclient)
    assert (plan.changes["verdict"] == "blocked").all()
    emu.control.clear_requests()
    with pytest.raises(NothingToApply, match="of 3 row.*3 are blocked and 0 excluded"):
        plan.apply(pclient, progress=False)
    assert _writes(emu) == []
    excluded = pt.plans.set_budgets(_plain_groups(pclient, account).head(2), factor=1.1).validate(pclient).exclude([0, 1])
    with pytest.raises(NothingToApply, match="0 are blocked and 2 excluded"):
        excluded.apply(pclient, progress=False)


def test_a_partly_blocked_plan_says_how_many_were_sent_and_blocked(pclient, account):
    budgets = pt.plans.set_budgets(_plain_groups(pclient, account).head(3), factor=1.1)
    groups = pt.read_ad_groups(account, client=pclient)
    bids = pt.plans.set_bids(groups[groups["bid_in_micro_currency"].notna()].head(7), factor=3)  # over the limit
    plan = pt.EditPlan.from_changes([*budgets.changes.to_dict("records"), *bids.changes.to_dict("records")])
    applied = plan.validate(pclient).apply(pclient, method="patch", progress=False)
    assert applied.headline() == "3 of 10 sent; 7 blocked (3 applied)"
    assert "3 of 10 sent; 7 blocked (3 applied)" in repr(applied)
    assert applied.counts() == {"applied": 3, "blocked": 7}
    summary = applied.summary().set_index("field")
    assert summary.loc["budget_in_micro_currency", ["result_applied", "result_blocked"]].tolist() == [3, 0]
    assert summary.loc["bid_in_micro_currency", ["result_applied", "result_blocked"]].tolist() == [0, 7]
    blocked = applied.changes[applied.changes["result"] == "blocked"]
    assert blocked["field"].eq("bid_in_micro_currency").all()
    assert blocked["message"].str.contains("exceeds the 50% limit").all()


def test_an_entity_changed_after_validation_stops_the_apply(pclient, account, emu):
    groups = _plain_groups(pclient, account).head(2)
    plan = pt.plans.set_budgets(groups, factor=1.1).validate(pclient)
    pclient.ad_groups.update(account, [{"id": groups["id"].iloc[1], "name": "Renamed in Ads Manager"}])
    emu.control.clear_requests()
    with pytest.raises(PlanOutdated, match="row 1 .*changed in Pinterest since the plan was built") as caught:
        plan.apply(pclient, progress=False)
    assert caught.value.rows == [1]
    assert _writes(emu) == []


def test_the_cli_exits_non_zero_when_nothing_was_sent(tmp_path, emulator_process):
    base_url = emulator_process()
    client = pt.connect("emulator-demo-token", base_url=base_url)
    account = pt.read_ad_accounts(client=client).id[0]
    plan = pt.plans.set_budgets(_plain_groups(client, account).head(2), factor=3).validate(client)
    path = plan.to_file(tmp_path / "blocked.plan.json")
    env = {**os.environ, "PINTOOLS_BASE_URL": base_url, "PINTEREST_ACCESS_TOKEN": "emulator-demo-token"}
    done = subprocess.run([sys.executable, "-m", "pintools.cli", "apply", str(path), "--yes"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "nothing to send" in done.stderr and "Traceback" not in done.stderr


def test_an_applied_plan_is_not_applied_again(pclient, account, emu):
    applied = pt.plans.set_budgets(_plain_groups(pclient, account).head(1), factor=1.1).validate(pclient) \
        .apply(pclient, progress=False)
    emu.control.clear_requests()
    with pytest.raises(PlanError, match="already applied .*resume its journal"):
        applied.apply(pclient, progress=False)
    assert _writes(emu) == []


def test_a_change_after_validation_stops_a_plan_built_without_updated_times(pclient, account, emu):
    group = _plain_groups(pclient, account).head(1)
    plan = pt.EditPlan.from_changes([{"entity_type": "ad_group", "ad_account_id": account, "id": group["id"].iloc[0],
                                      "field": "budget_in_micro_currency", "currency": "USD",
                                      "before": int(group["budget_in_micro_currency"].iloc[0]),
                                      "after": int(group["budget_in_micro_currency"].iloc[0]) + 1_000_000}])
    reviewed = plan.validate(pclient)
    assert reviewed.changes["updated_time"].iloc[0] == group["updated_time"].iloc[0].timestamp()
    pclient.ad_groups.update(account, [{"id": group["id"].iloc[0], "status": "PAUSED"}])  # after the review
    with pytest.raises(PlanOutdated):
        reviewed.apply(pclient, progress=False)
