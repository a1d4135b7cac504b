"""Demo data: determinism, shapes, scale, custom accounts, cheap import."""

import json
import subprocess
import sys

import requests

from pintools.emulator import start
from pintools.emulator.models import EmulatorState


def _dump(server):
    headers = {"Authorization": f"Bearer {server.access_token}"}

    def pages(path, params=None):
        params, out = dict(params or {}), []
        while True:
            body = requests.get(server.base_url + path, params=params, headers=headers).text
            out.append(body)
            mark = json.loads(body)["bookmark"]
            if mark is None:
                return out
            params["bookmark"] = mark

    texts = pages("/ad_accounts")
    every = {"entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT", "page_size": 50}
    for account in json.loads(texts[0])["items"]:
        base = f"/ad_accounts/{account['id']}"
        for kind in ("campaigns", "ad_groups", "ads"):
            texts += pages(f"{base}/{kind}", every)
        texts += pages(f"{base}/keywords")
    return texts


def test_same_seed_gives_byte_identical_responses():
    first, second, other = start(seed=7), start(seed=7), start(seed=8)
    try:
        a, b, c = _dump(first), _dump(second), _dump(other)
    finally:
        for srv in (first, second, other):
            srv.stop()
    assert a == b
    assert a != c


def test_default_demo_shapes(ro_api):
    accounts = ro_api.accounts()
    assert [a["currency"] for a in accounts] == ["USD", "GBP", "EUR"]
    assert accounts[0]["name"] == "Juniper & Sage Home"
    counts = ro_api.server.state.counts()
    assert counts == {"accounts": 4, "campaigns": 24, "ad_groups": 72, "ads": 144, "keywords": 309,
                      "product_group_promotions": 12}
    store = ro_api.server.state.store
    statuses = [c["status"] for c in store.campaigns.values()]
    assert statuses.count("ARCHIVED") == 3 and statuses.count("DRAFT") == 3 and statuses.count("ACTIVE") >= 15
    cbo = [c for c in store.campaigns.values() if c["is_campaign_budget_optimization"]]
    assert all((c["daily_spend_cap"] is None) != (c["lifetime_spend_cap"] is None) for c in cbo)
    conv = [g for g in store.ad_groups.values() if store.campaigns[g["campaign_id"]]["objective_type"] == "WEB_CONVERSION"]
    assert conv and all(g["optimization_goal_metadata"]["conversion_tag_v3_goal_metadata"] for g in conv)
    assert any(g["targeting_spec"].get("INTEREST") for g in store.ad_groups.values())
    assert {a["creative_type"] for a in store.ads.values()} >= {"REGULAR", "VIDEO", "SHOPPING", "CAROUSEL"}


def test_scale_multiplies_entities():
    state = EmulatorState(seed=1, scale=200)
    assert state.counts() == {"accounts": 4, "campaigns": 4800, "ad_groups": 14400, "ads": 28800,
                              "keywords": 60009, "product_group_promotions": 2400}


def test_custom_accounts_make_exact_shapes(api):
    api.server.control.reset(accounts=[{
        "name": "Bench Co", "currency": "USD", "country": "US", "campaigns": 10, "ad_groups_per_campaign": 100,
        "ads_per_ad_group": 1, "keywords_per_ad_group": 10, "statuses": "active"}])
    accounts = api.accounts()
    assert [a["name"] for a in accounts] == ["Bench Co"]
    groups = api.all_pages(f"/ad_accounts/{accounts[0]['id']}/ad_groups", {"page_size": 250})
    assert len(groups) == 1000 and {g["status"] for g in groups} == {"ACTIVE"}
    campaigns = api.all_pages(f"/ad_accounts/{accounts[0]['id']}/campaigns")
    assert len(campaigns) == 10 and not any(c["is_campaign_budget_optimization"] for c in campaigns)
    assert all(g["budget_in_micro_currency"] for g in groups)
    assert api.server.state.counts()["keywords"] == 10_000
    api.server.control.reset(seed=5)  # None keeps the custom shape
    assert [a["name"] for a in api.accounts()] == ["Bench Co"]
    api.server.control.reset(accounts="default")
    assert len(api.accounts()) == 3


def test_fixed_clock_drives_new_writes(api):
    api.server.control.set_clock(1717200000)
    account = api.accounts()[0]["id"]
    body = api.post(f"/ad_accounts/{account}/campaigns", json=[{
        "ad_account_id": account, "name": "Clocked", "objective_type": "VIDEO_COMPLETION"}]).json()
    assert body["items"][0]["data"]["created_time"] == 1717200000


def test_import_is_cheap():
    code = ("import sys, pintools.emulator as e; "
            "print(sorted(m for m in ('flask', 'waitress', 'requests', 'pandas') if m in sys.modules)); "
            "e.start; print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "False"
