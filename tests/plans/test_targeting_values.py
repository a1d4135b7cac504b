"""Targeting values are checked against what Pinterest offers before anything is sent: every bad
value reported at once, with the nearest valid ones; values already on the ad group are not
re-judged."""

import pandas as pd
import pytest

import pintools as pt


@pytest.fixture
def group(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    return groups.head(1)


@pytest.mark.parametrize("key, good, bad, hint", [
    ("LOCATION", "GB", "ZZ", "not a targeting option"),
    ("LOCATION", "807", "UK", "nearest: 'GB' (United Kingdom)"),
    ("LOCALE", "de", "klingon", "not a targeting option"),
    ("LOCALE", "fr", "en-US", "nearest: 'en' (English)"),  # ISO 639-1 two-letter codes, as the spec says
    ("GEO", "US-CA", "US-ZZ", "nearest: 'US-"),
    ("INTEREST", "935249274030", "not-an-interest", "not a targeting option"),
    ("INTEREST", "935249274030", "Home decor", "nearest: '935249274030' (Home Decor)"),
    ("GENDER", "female", "robot", "not among unknown, male, female"),
    ("AGE_BUCKET", "25-34", "30-40", "not among"),
    ("APPTYPE", "ipad", "blackberry", "not among"),
])
def test_one_good_and_one_bad_value_of_each_type(pclient, group, key, good, bad, hint):
    before = group["targeting_spec"].iloc[0].get(key) or []
    plan = pt.plans.add_targeting(group, key, [good, bad]).validate(pclient)
    reason = plan.changes["reason"].iloc[0]
    assert plan.changes["verdict"].tolist() == ["blocked"]
    assert repr(bad) in reason or f'"{bad}"' in reason
    assert hint in reason
    if good not in before:  # the good value is not reported as bad
        assert f"{key} {good!r} is not" not in reason and f'"{good}"' not in reason
    good_only = pt.plans.add_targeting(group, key, [good]).validate(pclient)
    assert good_only.changes.empty or good_only.changes["verdict"].tolist() != ["blocked"], \
        good_only.changes["reason"].tolist()


def test_every_bad_value_is_reported_at_once(pclient, group):
    spec = dict(group["targeting_spec"].iloc[0])
    after = {**spec, "LOCATION": ["ZZ", "QQ"], "LOCALE": ["klingon"], "INTEREST": ["nope"]}
    change = {"entity_type": "ad_group", "ad_account_id": group["ad_account_id"].iloc[0], "id": group["id"].iloc[0],
              "field": "targeting_spec", "before": spec, "after": after, "updated_time": group["updated_time"].iloc[0]}
    reason = pt.EditPlan.from_changes([change]).validate(pclient).changes["reason"].iloc[0]
    for value in ("'ZZ'", "'QQ'", "'klingon'", "'nope'"):
        assert value in reason


def test_a_new_ad_group_with_bad_targeting_is_blocked(pclient, account):
    campaigns = pt.read_campaigns(account, client=pclient)
    host = campaigns[~campaigns["is_campaign_budget_optimization"].fillna(False)]["id"].iloc[0]
    frame = pd.DataFrame({"campaign_id": [host], "name": ["Bad targeting"], "billable_event": ["CLICKTHROUGH"],
                          "budget_in_micro_currency": [10_000_000], "bid_in_micro_currency": [2_000_000],
                          "targeting_spec": [{"LOCATION": ["US", "Atlantis"]}]})
    checked = pt.plans.to_ad_groups(frame, account).validate(pclient)
    assert "LOCATION 'Atlantis' is not a targeting option" in checked.changes["reason"].iloc[0]


def test_audiences_must_be_the_accounts_and_big_enough(pclient, account, group):
    audiences = pt.read_audiences(account, client=pclient).set_index("name")
    lists = pt.read_customer_lists(account, client=pclient).set_index("name")
    ready, small = audiences.loc["Site Visitors – 30 Days", "id"], audiences.loc["VIP Early Access List", "id"]
    listed = lists.loc["Purchasers – All Time", "id"]
    plan = pt.plans.add_targeting(group, "AUDIENCE_INCLUDE", [ready, listed, small, "123456789012"]).validate(pclient)
    reason = plan.changes["reason"].iloc[0]
    assert plan.changes["verdict"].tolist() == ["blocked"]
    assert "AUDIENCE_INCLUDE '123456789012' is neither an audience nor a customer list of ad account" in reason
    assert f"AUDIENCE_INCLUDE '{small}' (audience 'VIP Early Access List') has" in reason
    assert "Audience lists need to have at least 100 people" in reason
    assert ready not in reason and listed not in reason
    ok = pt.plans.add_targeting(group, "AUDIENCE_EXCLUDE", [ready, listed]).validate(pclient)
    assert ok.changes["verdict"].tolist() != ["blocked"], ok.changes["reason"].tolist()
