"""Campaign budget optimization as Pinterest API 5.23 has it: a create-time field with no default
(so every campaign create carries it), that a PATCH may still switch (CampaignUpdateRequest has it)."""

import pandas as pd
import pytest

import pintools as pt


def _frame(**columns):
    base = {"name": ["CBO flag"], "objective_type": ["AWARENESS"], "status": ["PAUSED"]}
    return pd.DataFrame({**base, **{k: [v] for k, v in columns.items()}})


@pytest.mark.parametrize("columns, flag", [
    ({"daily_spend_cap": 50_000_000}, True),                                   # CBO objective + cap
    ({}, False),                                                               # no cap: ad-group budgets
    ({"objective_type": "VIDEO_COMPLETION", "daily_spend_cap": 50_000_000}, False),  # not a CBO objective
    ({"daily_spend_cap": 50_000_000, "is_campaign_budget_optimization": False}, False),  # the frame decides
])
def test_every_campaign_create_carries_the_flag(columns, flag):
    body = pt.plans.to_campaigns(_frame(**columns), "9").changes["after"].iloc[0]
    assert body["is_campaign_budget_optimization"] is flag


@pytest.mark.parametrize("columns, reason", [
    ({"objective_type": "VIDEO_COMPLETION", "daily_spend_cap": 50_000_000, "is_campaign_budget_optimization": True},
     "campaigns can use campaign budget optimization"),
    ({"is_campaign_budget_optimization": True}, "needs a daily_spend_cap or lifetime_spend_cap"),
])
def test_a_create_pinterest_would_refuse_is_blocked_at_validation(pclient, account, columns, reason):
    checked = pt.plans.to_campaigns(_frame(**columns), account).validate(pclient)
    assert checked.changes["verdict"].tolist() == ["blocked"] and reason in checked.changes["reason"].iloc[0]


def test_an_explicit_false_creates_a_non_cbo_campaign(pclient, account):
    frame = _frame(daily_spend_cap=50_000_000, is_campaign_budget_optimization=False)
    applied = pt.plans.to_campaigns(frame, account).validate(pclient).apply(pclient, progress=False)
    created = applied.changes["created_id"].iloc[0]
    campaign = pt.read_campaigns(account, ids=[created], client=pclient)
    assert not campaign["is_campaign_budget_optimization"].iloc[0]


def test_where_pinterest_requires_cbo_the_creates_flag_satisfies_it(emu, pclient, account):
    """Live accounts reportedly refuse a CBO-objective campaign created without CBO (code 2384): a
    capped campaign gets the flag, so it goes through; an uncapped one fails with Pinterest's reason."""
    emu.control.set_campaigns_behaviour("required")
    frame = pd.DataFrame({"name": ["Capped", "No cap"], "objective_type": ["AWARENESS"] * 2, "status": ["PAUSED"] * 2,
                          "daily_spend_cap": pd.array([50_000_000, None], dtype="Int64")})
    applied = pt.plans.to_campaigns(frame, account).validate(pclient).apply(pclient, progress=False)
    assert applied.changes["result"].tolist() == ["applied", "failed"]
    assert "must use campaign budget optimization" in applied.changes["message"].iloc[1]
