"""read_campaigns / read_ad_groups / read_ads / read_keywords over several ad accounts at once
(the emulator's demo has three: USD, GBP and EUR)."""

import threading

import pandas as pd
import pytest

import pintools as pt
from pintools.http.errors import NotFound

READERS = [pt.read_campaigns, pt.read_ad_groups, pt.read_ads, pt.read_keywords]


def _name(reader) -> str:
    return reader.__name__


@pytest.fixture
def accounts(client) -> pd.DataFrame:
    df = pt.read_ad_accounts(client=client)
    assert len(df) == 3 and set(df["currency"]) == {"USD", "GBP", "EUR"}
    return df


@pytest.mark.parametrize("reader", READERS, ids=_name)
def test_a_list_of_accounts_gives_every_accounts_rows_with_its_id_and_currency(client, accounts, reader):
    ids = accounts["id"].tolist()
    both = reader(ids, client=client)
    assert list(both["ad_account_id"].unique()) == ids  # every account, in the order given
    assert both.index.equals(pd.RangeIndex(len(both)))
    currency = dict(zip(accounts["id"], accounts["currency"], strict=True))
    assert (both["currency"] == both["ad_account_id"].map(currency)).all()
    for account in ids:
        one = reader(account, client=client)
        assert len(one) > 0
        part = both[both["ad_account_id"] == account].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, one)
        assert (one["currency"] == currency[account]).all()
    pd.testing.assert_series_equal(both.dtypes, one.dtypes)


@pytest.mark.parametrize("reader", READERS, ids=_name)
def test_a_series_or_tuple_of_ids_works_like_a_list_and_one_in_a_list_like_the_id(client, accounts, reader):
    ids = accounts["id"]
    listed = reader(ids.tolist(), client=client)
    pd.testing.assert_frame_equal(reader(ids, client=client), listed)
    pd.testing.assert_frame_equal(reader(tuple(ids), client=client), listed)
    pd.testing.assert_frame_equal(reader([ids.iloc[1]], client=client), reader(ids.iloc[1], client=client))


@pytest.mark.parametrize("reader", READERS, ids=_name)
def test_an_empty_list_is_refused_before_any_request(client, emulator, reader):
    emulator.control.clear_requests()
    for empty in ([], (), pd.Series([], dtype="string")):
        with pytest.raises(ValueError, match="at least one ad account"):
            reader(empty, client=client)
    assert emulator.control.requests() == []


@pytest.mark.parametrize("reader", READERS, ids=_name)
def test_a_malformed_id_in_the_list_is_named(client, accounts, reader):
    with pytest.raises(ValueError, match=r"ad_account_id .* got '12ab'$"):
        reader([accounts["id"].iloc[0], "12ab"], client=client)


@pytest.mark.parametrize("reader", READERS, ids=_name)
def test_an_id_that_is_no_ad_account_is_named(client, accounts, reader):
    with pytest.raises(NotFound) as caught:
        reader([accounts["id"].iloc[0], "999999", accounts["id"].iloc[2]], client=client)
    assert "999999" in str(caught.value)
    assert any("ad account 999999" in note for note in caught.value.__notes__)


def test_ids_filter_applies_per_account_and_foreign_ids_are_absent(client, accounts):
    ids = accounts["id"].tolist()
    picks = {a: pt.read_ad_groups(a, client=client)["id"].iloc[0] for a in ids[:2]}
    df = pt.read_ad_groups(ids, ids=list(picks.values()), client=client)
    assert dict(zip(df["ad_account_id"], df["id"], strict=True)) == picks
    assert df["currency"].tolist() == accounts["currency"].iloc[:2].tolist()


def test_concat_with_empty_accounts_keeps_the_schema_dtypes(client, accounts):
    ids = accounts["id"].tolist()
    single = pt.read_ads(ids[1], client=client)
    one_ad = single["id"].iloc[0]
    some = pt.read_ads(ids, ids=[one_ad], client=client)
    assert some["id"].tolist() == [one_ad] and some["ad_account_id"].tolist() == [ids[1]]
    pd.testing.assert_series_equal(some.dtypes, single.dtypes)
    none = pt.read_ads(ids, ids=["1"], client=client)
    assert len(none) == 0
    pd.testing.assert_series_equal(none.dtypes, pt.read_ads(ids[0], ids=["1"], client=client).dtypes)
    no_keywords = pt.read_keywords(ids, ad_group_ids=["1"], client=client)
    assert len(no_keywords) == 0
    pd.testing.assert_series_equal(no_keywords.dtypes, pt.read_keywords(ids[0], client=client).dtypes)


def test_keyword_parents_are_read_only_in_the_account_that_holds_them(client, emulator, accounts):
    ids = accounts["id"].tolist()
    owner = {}
    for account in (ids[0], ids[2]):
        owner[pt.read_ad_groups(account, client=client)["id"].iloc[0]] = account
    emulator.control.clear_requests()
    df = pt.read_keywords(ids, ad_group_ids=list(owner), client=client)
    listed = [(r["path"].split("/")[3], r["query"]["ad_group_id"][0])
              for r in emulator.control.requests(operation_id="keywords/get")]
    assert sorted(listed) == sorted((a, g) for g, a in owner.items())
    assert len(df) > 0 and set(df["parent_id"]) == set(owner)
    assert (df["ad_account_id"] == df["parent_id"].map(owner)).all()
    currency = dict(zip(accounts["id"], accounts["currency"], strict=True))
    assert (df["currency"] == df["ad_account_id"].map(currency)).all()


def test_accounts_are_read_concurrently_up_to_max_workers(client, accounts, monkeypatch):
    barrier = threading.Barrier(3, timeout=10)
    real = client.campaigns.list

    def meeting(*args, **kwargs):
        barrier.wait()  # breaks (and fails the read) unless all three accounts are listed at once
        return real(*args, **kwargs)

    monkeypatch.setattr(client.campaigns, "list", meeting)
    df = pt.read_campaigns(accounts["id"], max_workers=3, client=client)
    assert df["ad_account_id"].nunique() == 3
    barrier = threading.Barrier(3, timeout=0.5)
    with pytest.raises(threading.BrokenBarrierError):
        pt.read_campaigns(accounts["id"], max_workers=1, client=client)


def test_bad_statuses_and_match_types_are_refused_before_any_request(client, emulator, accounts):
    emulator.control.clear_requests()
    with pytest.raises(ValueError, match="SLEEPING"):
        pt.read_campaigns(accounts["id"], statuses=["SLEEPING"], client=client)
    with pytest.raises(ValueError, match="FUZZY"):
        pt.read_keywords(accounts["id"], match_types=["FUZZY"], client=client)
    assert emulator.control.requests() == []


def test_an_accounts_currency_is_fetched_once_when_threads_ask_together(client, accounts, monkeypatch):
    """Workers that need an account's currency at the same moment make one GET, not one each
    (the sync's call counts — and its plan — depend on it)."""
    calls = []
    real_get = client.ad_accounts.get
    gate = threading.Barrier(4)

    def slow_get(ad_account_id, *args, **kwargs):
        calls.append(ad_account_id)
        return real_get(ad_account_id, *args, **kwargs)

    monkeypatch.setattr(client.ad_accounts, "get", slow_get)
    account = accounts["id"].iloc[1]
    answers = []

    def ask():
        gate.wait()
        answers.append(client.currency_of(account))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [accounts["currency"].iloc[1]] * 4
    assert calls == [account]
