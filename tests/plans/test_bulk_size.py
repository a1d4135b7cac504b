"""Pinterest's spec sets no limit on a bulk list: 1000 items a request is pintools' rule, so a bulk
request refused whole with a 400 (whatever the real limit is) is sent again in halves until it fits."""

import pytest

import pintools as pt
from pintools.plans import Guardrails, Journal
from pintools.polling import PollPolicy

SMALL = {"name": "Small Co", "currency": "USD", "country": "US", "campaigns": 1, "ad_groups_per_campaign": 10,
         "ads_per_ad_group": 0, "keywords_per_ad_group": 0, "statuses": "active",
         "objectives": ["CONSIDERATION"], "cbo": False}
FAST = PollPolicy(first=0.01, longest=0.05, settle=2)


@pytest.fixture
def small(emu):
    emu.control.reset(accounts=[SMALL])
    client = pt.connect(emulator=emu, quiet=True, retry=pt.RetryPolicy(backoff_base=0.01),
                        rate_limits={"ads_write": None, "ads_read": None, "universal": None})
    return client, pt.read_ad_accounts(client=client).id[0]


@pytest.mark.parametrize("cap, expected", [(3, [400, 400, 200, 200, 400, 200, 200]), (1000, [200])])
def test_a_bulk_request_refused_for_its_size_is_sent_again_in_halves(small, emu, cap, expected):
    client, account = small
    emu.control.set_bulk_behaviour(polls_to_finish=1, max_items_per_list=cap)  # the real limit is unknown
    groups = pt.read_ad_groups(account, client=client)
    emu.control.clear_requests()
    plan = pt.plans.set_bids(groups, factor=1.1).validate(client, Guardrails(check_bid_floors=False))
    applied = plan.apply(client, progress=False, poll=FAST)
    assert (applied.changes["result"] == "applied").all(), applied.changes[["result", "message"]]
    upserts = [r for r in emu.control.requests() if r["operation_id"] == "bulk_upsert/create"]
    assert [r["status"] for r in upserts] == expected
    sizes = [len(r["json"]["update"]["ad_groups"]) for r in upserts]
    assert sizes[0] == 10 and sum(s for s, r in zip(sizes, upserts, strict=True) if r["status"] == 200) == 10
    now = pt.read_ad_groups(account, client=client).set_index("id")["bid_in_micro_currency"]
    assert (now.loc[applied.changes["id"]].to_numpy() == applied.changes["after"].to_numpy()).all()
    journal = Journal.open(applied.journal)  # every row has its result journaled: nothing left to resume
    assert set(journal.results()) == set(applied.changes["row"]) and journal.finished
    assert [c.error != "" for c in journal.chunks()].count(True) == expected.count(400)
