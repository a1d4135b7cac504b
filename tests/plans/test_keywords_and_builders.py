"""Keywords end to end from research, and builders that say what they left out and what units
they take."""

import pandas as pd
import pytest

import pintools as pt
from pintools.plans.fields import KEYWORD_BIDS_IGNORED


@pytest.fixture
def target_group(pclient, account):
    """A live ad group and its live keywords."""
    groups = pt.read_ad_groups(account, client=pclient)
    keywords = pt.read_keywords(account, ad_group_ids=groups["id"].tolist(), client=pclient)
    gid = keywords["parent_id"].value_counts().index[0]
    return gid, keywords[keywords["parent_id"] == gid]


@pytest.mark.parametrize("method", ["bulk", "patch"])
def test_research_becomes_keywords_that_apply_and_read_back(pclient, account, target_group, method):
    gid, _ = target_group
    research = pt.read_keyword_metrics(account, [f"linen duvet {method}", f"washed linen {method}"],
                                       country_code="US", client=pclient)
    plan = pt.plans.to_keywords(research, account, parent_id=gid, match_type="phrase").validate(pclient)
    assert plan.changes["verdict"].tolist() == ["ok", "ok"]
    applied = plan.apply(pclient, method=method, progress=False)
    assert applied.changes["result"].tolist() == ["applied", "applied"]
    live = pt.read_keywords(account, ad_group_ids=[gid], client=pclient).set_index("id")
    for r in applied.changes.itertuples():
        assert live.loc[r.created_id, "value"] == r.name and live.loc[r.created_id, "match_type"] == "PHRASE"


def test_match_types_in_any_case_and_text_trimmed(pclient, account, target_group):
    gid, _ = target_group
    frame = pd.DataFrame({"ad_group_id": [gid, gid], "keyword": ["  Rattan Chair ", "rattan bench"],
                          "match_type": ["exact", "Broad"]})
    plan = pt.plans.to_keywords(frame, account)
    assert [b["match_type"] for b in plan.changes["after"]] == ["EXACT", "BROAD"]
    assert plan.changes["name"].tolist() == ["Rattan Chair", "rattan bench"]
    assert plan.validate(pclient).changes["verdict"].tolist() == ["ok", "ok"]


def test_a_keyword_that_exists_or_repeats_is_blocked_naming_the_existing_one(pclient, account, target_group):
    gid, keywords = target_group
    existing = keywords.iloc[0]
    frame = pd.DataFrame({"parent_id": [gid] * 3, "value": [f"  {existing['value'].upper()} ", "new one", "NEW   ONE"],
                          "match_type": [existing["match_type"].lower(), "EXACT", "exact"]})
    checked = pt.plans.to_keywords(frame, account).validate(pclient)
    assert checked.changes["verdict"].tolist() == ["blocked", "ok", "blocked"]
    assert f"already exists under {gid} (id {existing['id']})" in checked.changes["reason"].iloc[0]
    assert "row 1 creates the same keyword" in checked.changes["reason"].iloc[2]


def test_keyword_bids_are_refused_everywhere_with_the_reason(pclient, account, target_group):
    gid, keywords = target_group
    with pytest.raises(ValueError, match="ignores keyword bids"):
        pt.plans.set_bids(keywords, factor=1.1)
    with pytest.raises(ValueError, match="column 'bid': .*ignores keyword bids"):
        pt.plans.to_keywords(pd.DataFrame({"parent_id": [gid], "value": ["x"], "match_type": ["EXACT"],
                                           "bid": [1_000_000]}), account)
    row = {"entity_type": "keyword", "ad_account_id": account, "id": keywords["id"].iloc[0], "parent_id": gid,
           "field": "bid", "before": None, "after": 2_000_000}
    checked = pt.EditPlan.from_changes([row]).validate(pclient)
    assert checked.changes["verdict"].tolist() == ["blocked"]
    assert checked.changes["reason"].iloc[0] == KEYWORD_BIDS_IGNORED


def test_set_bids_keeps_automatic_bidding_groups_in_the_plan_as_left_out(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    auto = groups[groups["bid_in_micro_currency"].isna()].head(2)
    manual = groups[groups["bid_in_micro_currency"].notna()].head(3)
    plan = pt.plans.set_bids(pd.concat([manual, auto]), factor=1.1).validate(pclient)
    left_out = plan.changes[~plan.changes["include"]]
    assert left_out["id"].tolist() == auto["id"].tolist()
    assert left_out["note"].str.startswith("left out by set_bids: no bid to scale (").all()
    assert (left_out["verdict"] == "blocked").all()  # even put back in, it is never sent
    assert (plan.include_all().included["id"].isin(manual["id"])).all()
    applied = plan.apply(pclient, progress=False)
    skipped = applied.changes[applied.changes["result"] == "skipped"]
    assert skipped["id"].tolist() == auto["id"].tolist() and skipped["message"].str.contains("no bid to scale").all()
    assert applied.headline() == "3 of 5 sent; 2 skipped (3 applied)"


def test_budgets_of_cbo_ad_groups_are_left_out_saying_why(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    cbo = groups[groups["budget_type"] == "CBO_ADGROUP"].head(1)
    plan = pt.plans.set_budgets(cbo, factor=1.2)
    assert plan.changes["note"].tolist() == [
        "left out by set_budgets: no budget to scale (its campaign uses CBO: set the campaign's budget)"]


def test_amounts_are_micro_unless_currency_units_are_asked_for(pclient, account):
    groups = pt.read_ad_groups(account, client=pclient)
    one = groups[groups["bid_in_micro_currency"].notna()].head(1)
    with pytest.raises(ValueError, match=r"bid=1.5 is not a whole number of micro-currency: pass bid=1_500_000 "
                                         r"\(micro\), or bid=1.5, unit='currency' \(1.5 USD = 1_500_000 micro\)"):
        pt.plans.set_bids(one, bid=1.5)
    assert pt.plans.set_bids(one, bid=1.605, unit="currency").changes["after"].tolist() == [1_605_000]
    assert pt.plans.set_bids(one, bid=1_605_000).changes["after"].tolist() == [1_605_000]
    with pytest.raises(ValueError, match="unit must be 'micro' or 'currency'"):
        pt.plans.set_bids(one, bid=1, unit="dollars")


def test_a_misnamed_column_is_refused_with_the_expected_name(account):
    with pytest.raises(ValueError, match=r"column 'objective type' .*did you mean 'objective_type'"):
        pt.plans.to_campaigns(pd.DataFrame({"name": ["A"], "objective type": ["AWARENESS"]}), account)
    with pytest.raises(ValueError, match=r"column 'matchtype' .*did you mean 'match_type'"):
        pt.plans.to_keywords(pd.DataFrame({"parent_id": ["1"], "value": ["x"], "matchtype": ["EXACT"]}), account,
                             match_type="EXACT")
