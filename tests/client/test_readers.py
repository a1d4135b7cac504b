"""read_* on the emulator's demo data: typed frames, filters, paging, status defaults."""

import pytest

import pintools as pt


@pytest.fixture
def account(client):
    return pt.read_ad_accounts(client=client)["id"].iloc[0]


def test_ad_accounts_have_several_currencies(client):
    df = pt.read_ad_accounts(client=client)
    assert len(df) >= 2 and df["currency"].nunique() >= 2
    assert df["id"].dtype == "string" and df["id"].str.fullmatch(r"\d+").all()


def test_campaigns_default_to_active_and_paused_and_all_adds_archived_and_draft(client, account):
    default = pt.read_campaigns(account, client=client)
    every = pt.read_campaigns(account, statuses="all", client=client)
    assert set(default["status"]) <= {"ACTIVE", "PAUSED"}
    assert len(every) > len(default)
    assert set(every["status"]) - {"ACTIVE", "PAUSED"}
    assert (default["currency"] == pt.read_ad_accounts(client=client).set_index("id").loc[account, "currency"]).all()


def test_ids_filter_returns_just_those(client, account):
    all_groups = pt.read_ad_groups(account, client=client)
    pick = all_groups["id"].iloc[:2].tolist()
    df = pt.read_ad_groups(account, ids=pick, client=client)
    assert sorted(df["id"]) == sorted(pick)


def test_children_by_parent(client, account):
    campaigns = pt.read_campaigns(account, client=client)
    cid = campaigns["id"].iloc[0]
    groups = pt.read_ad_groups(account, campaign_ids=[cid], client=client)
    assert (groups["campaign_id"] == cid).all() and len(groups) > 0
    ads = pt.read_ads(account, ad_group_ids=groups["id"].tolist(), client=client)
    assert set(ads["ad_group_id"]) <= set(groups["id"])


def test_only_one_filter_kind_at_a_time_is_refused_before_any_request(client, account):
    with pytest.raises(ValueError, match="ids and campaign_ids"):
        pt.read_ad_groups(account, ids=["1"], campaign_ids=["2"], client=client)


def test_a_float_id_is_refused_with_a_reason(client):
    with pytest.raises(ValueError, match="too long for floats"):
        pt.read_campaigns(5.49755885175e11, client=client)


def test_keywords_for_the_whole_account(client, account):
    df = pt.read_keywords(account, client=client)
    assert len(df) > 0
    assert df["bid_in_micro_currency"].dtype == "Int64"
    assert set(df["match_type"]) <= {"BROAD", "PHRASE", "EXACT", "EXACT_NEGATIVE", "PHRASE_NEGATIVE"}
    groups = pt.read_ad_groups(account, client=client)
    one = groups["id"].iloc[0]
    subset = pt.read_keywords(account, ad_group_ids=[one], client=client)
    assert (subset["parent_id"] == one).all()


def test_empty_result_keeps_the_schema(client, account):
    df = pt.read_ads(account, ids=["1"], client=client)
    assert len(df) == 0 and "creative_type" in df.columns


def test_money_view_in_currency_units(client, account):
    groups = pt.read_ad_groups(account, client=client)
    view = pt.in_currency_units(groups)
    row = groups.dropna(subset=["budget_in_micro_currency"]).index[0]
    assert view.loc[row, "budget"] * 1_000_000 == pytest.approx(groups.loc[row, "budget_in_micro_currency"])


def test_paging_is_lazy(client, account, emulator):
    emulator.control.clear_requests()
    it = client.ad_groups.list(account, page_size=1)
    assert emulator.control.requests(operation_id="ad_groups/list") == []
    next(it)
    assert len(emulator.control.requests(operation_id="ad_groups/list")) == 1
    next(it)
    assert len(emulator.control.requests(operation_id="ad_groups/list")) == 2


def test_reading_without_connecting_first_uses_a_default_connection():
    import subprocess
    import sys

    code = ("import pintools as pt; df = pt.read_ad_accounts(); "
            "print(len(df), pt.default_client().mode)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["3", "emulator"]
    assert "built-in emulator" in out.stderr
