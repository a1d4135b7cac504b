"""The request log: what each entry holds, filters, clearing, and no credentials."""

import json
import time


def test_log_entries_describe_each_request(api):
    account = api.accounts()[0]["id"]
    api.server.control.clear_requests()
    before = time.time()
    api.get(f"/ad_accounts/{account}/campaigns", params=[("campaign_ids", "1"), ("campaign_ids", "2")])
    api.patch(f"/ad_accounts/{account}/campaigns", json=[{"id": "1", "ad_account_id": account}])
    api.get("/no/such/thing")
    entries = api.server.control.requests()
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    read, write, unknown = entries
    assert set(read) == {"seq", "time", "method", "path", "route", "operation_id", "category", "query", "json",
                         "status", "fault"}
    assert read["method"] == "GET" and read["path"] == f"/v5/ad_accounts/{account}/campaigns"
    assert read["route"] == "/ad_accounts/{ad_account_id}/campaigns" and read["operation_id"] == "campaigns/list"
    assert read["category"] == "ads_read" and read["query"] == {"campaign_ids": ["1", "2"]}
    assert read["json"] is None and read["status"] == 200 and read["fault"] is None
    assert before - 1 <= read["time"] <= time.time() + 1
    assert write["operation_id"] == "campaigns/update" and write["category"] == "ads_write"
    assert write["json"] == [{"id": "1", "ad_account_id": account}]
    assert unknown["route"] is None and unknown["status"] == 404
    assert [e["operation_id"] for e in api.server.control.requests(method="PATCH")] == ["campaigns/update"]
    assert len(api.server.control.requests(operation_id="campaigns/list")) == 1
    api.server.control.clear_requests()
    assert api.server.control.requests() == []


def test_log_never_holds_tokens_or_secrets(api):
    import requests

    server = api.server
    data = {"grant_type": "refresh_token", "refresh_token": server.refresh_token, "refresh_on": "true"}
    grant = requests.post(server.base_url + "/oauth/token", data=data, auth=(server.app_id, server.app_secret)).json()
    api.get("/ad_accounts", token=grant["access_token"])
    text = json.dumps(server.control.requests())
    for secret in (server.access_token, server.app_secret, server.refresh_token, grant["access_token"],
                   grant["refresh_token"]):
        assert secret not in text
    assert server.control.requests(operation_id="oauth/token")[0]["category"] == "org_read"
