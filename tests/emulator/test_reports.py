"""Async reports: lifecycle, download links, file shapes (JSON/CSV), levels, filters, validation."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date, timedelta

import pytest
import requests

from pintools.emulator import EmulatorControlError
from pintools.emulator.models.column_names import ASYNC_COLUMNS

TODAY = date(2025, 3, 15)
MESSAGE = "Invalid ad account ads analytics parameters."
ADDITIVE = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CLICKTHROUGH", "TOTAL_CONVERSIONS",
            "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]


def _body(**changes):
    body = {"start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY), "granularity": "DAY",
            "level": "CAMPAIGN", "columns": ["SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH", "CAMPAIGN_NAME"]}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _account(api):
    return next(a for a in api.accounts() if a["currency"] == "USD")["id"]


def _create(api, account, **changes):
    r = api.post(f"/ad_accounts/{account}/reports", json=_body(**changes))
    assert r.status_code == 200, r.text
    return r.json()


def _poll(api, account, token):
    r = api.get(f"/ad_accounts/{account}/reports", params={"token": token})
    assert r.status_code == 200, r.text
    return r.json()


def _finish(api, account, **changes) -> bytes:
    """Create a report, poll until FINISHED and download it."""
    token = _create(api, account, **changes)["token"]
    for _ in range(10):
        status = _poll(api, account, token)
        if status["report_status"] != "IN_PROGRESS":
            break
    assert status["report_status"] == "FINISHED", status
    download = requests.get(status["url"], timeout=30)
    assert download.status_code == 200 and len(download.content) == status["size"]
    return download.content


def test_lifecycle_in_progress_then_finished(rapi):
    account = _account(rapi)
    created = _create(rapi, account)
    assert created["report_status"] == "IN_PROGRESS" and created["message"] is None
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", created["token"])
    polls = [_poll(rapi, account, created["token"]) for _ in range(3)]
    assert [p["report_status"] for p in polls] == ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]
    assert polls[0]["url"] is None and polls[0]["size"] is None
    url = polls[2]["url"]
    assert re.search(rf"/_emulator/files/reports/{created['token']}/metrics_report\.txt\?expires=\d+&sig=\w+$", url)
    body = requests.get(url, timeout=30)  # no Authorization header, like a pre-signed S3 URL
    assert body.status_code == 200 and len(body.content) == polls[2]["size"]
    data = json.loads(body.content)
    assert data and all(rows and all(r["CAMPAIGN_ID"] == key and "DATE" in r for r in rows)
                        for key, rows in data.items())
    [job] = rapi.server.control.reports()
    assert job["token"] == created["token"] and job["status"] == "FINISHED" and job["polls"] == 3
    assert job["level"] == "CAMPAIGN" and job["created"] == rapi.server.control.health()["now"]


def test_json_rows_equal_sync_rows_without_zero_fill(rapi):
    account = _account(rapi)
    columns = ADDITIVE + ["CTR", "CHECKOUT_ROAS", "CAMPAIGN_NAME"]
    data = json.loads(_finish(rapi, account, columns=columns))
    campaigns = rapi.get(f"/ad_accounts/{account}/campaigns",
                         params={"entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT", "page_size": 250}).json()["items"]
    rows = rapi.get(f"/ad_accounts/{account}/campaigns/analytics", params={
        "campaign_ids": [c["id"] for c in campaigns], "columns": ",".join(columns), "granularity": "DAY",
        "start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY)}).json()
    expected = defaultdict(list)
    for row in rows:
        expected[row["CAMPAIGN_ID"]].append({k: v for k, v in row.items() if v != 0})
    assert data == dict(expected)


def test_csv_zero_fills_and_has_a_header(rapi):
    account = _account(rapi)
    columns = ["SPEND_IN_DOLLAR", "TOTAL_LEAD", "CHECKOUT_ROAS", "CAMPAIGN_NAME", "AD_GROUP_NAME", "PRODUCT_GROUP_ID"]
    text = _finish(rapi, account, columns=columns, report_format="CSV").decode("utf-8")
    reader = list(csv.reader(io.StringIO(text)))
    assert reader[0] == ["DATE", "CAMPAIGN_ID"] + columns
    body = [dict(zip(reader[0], r, strict=True)) for r in reader[1:]]
    assert body and all(r["TOTAL_LEAD"] == "0" and r["AD_GROUP_NAME"] == "" and r["PRODUCT_GROUP_ID"] == ""
                        for r in body)
    assert any(r["CHECKOUT_ROAS"] == "0" for r in body) and all(float(r["SPEND_IN_DOLLAR"]) > 0 for r in body)


@pytest.mark.parametrize("shape", ["omit", "zero"])
def test_hour_reports_hold_no_conversion_data_like_sync_hour_rows(rapi, shape):
    account = _account(rapi)
    rapi.server.control.set_analytics_behaviour(hour_conversions=shape)
    columns = ["SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH", "TOTAL_CHECKOUT", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"]
    start = str(TODAY - timedelta(days=1))
    data = json.loads(_finish(rapi, account, columns=columns, granularity="HOUR", start_date=start))
    campaigns = rapi.get(f"/ad_accounts/{account}/campaigns",
                         params={"entity_statuses": "ACTIVE,PAUSED,ARCHIVED,DRAFT", "page_size": 250}).json()["items"]
    rows = rapi.get(f"/ad_accounts/{account}/campaigns/analytics", params={
        "campaign_ids": [c["id"] for c in campaigns], "columns": ",".join(columns), "granularity": "HOUR",
        "start_date": start, "end_date": str(TODAY)}).json()
    expected = defaultdict(list)
    for row in rows:
        expected[row["CAMPAIGN_ID"]].append({k: v for k, v in row.items() if v != 0})
    assert data and data == dict(expected)
    assert not {"TOTAL_CHECKOUT", "TOTAL_CHECKOUT_VALUE_IN_MICRO_DOLLAR"} & {k for r in rows for k in r if r[k]}
    text = _finish(rapi, account, columns=columns, granularity="HOUR", start_date=start, report_format="CSV")
    reader = list(csv.reader(io.StringIO(text.decode("utf-8"))))
    if shape == "omit":
        assert reader[0] == ["DATE", "CAMPAIGN_ID", "SPEND_IN_DOLLAR", "TOTAL_CLICKTHROUGH"]
    else:
        assert reader[0] == ["DATE", "CAMPAIGN_ID"] + columns
        assert len(reader) > 1 and all(r[-2:] == ["0", "0"] for r in reader[1:])
    # DAY reports keep their conversion data
    day = json.loads(_finish(rapi, account, columns=columns, start_date=start))
    assert any(r.get("TOTAL_CHECKOUT") for rows in day.values() for r in rows)


def test_levels_and_their_id_columns(rapi):
    account = _account(rapi)
    cols = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_CLICKTHROUGH"]
    advertiser = json.loads(_finish(rapi, account, level="ADVERTISER", columns=cols, granularity="TOTAL"))
    [row] = advertiser[account]
    assert row["ADVERTISER_ID"] == row["AD_ACCOUNT_ID"] == account and "DATE" not in row
    ads = json.loads(_finish(rapi, account, level="PIN_PROMOTION", columns=cols + ["AD_NAME", "PIN_ID"]))
    assert all(r["PIN_PROMOTION_ID"] == r["AD_ID"] == key and r["PIN_ID"] for key, rows in ads.items() for r in rows)
    groups = json.loads(_finish(rapi, account, level="AD_GROUP", columns=cols))
    keywords = json.loads(_finish(rapi, account, level="KEYWORD", columns=cols))
    summed = defaultdict(lambda: defaultdict(int))
    async_columns = set(ASYNC_COLUMNS)
    for rows in keywords.values():
        for r in rows:
            assert set(r) - {"DATE"} <= async_columns  # no KEYWORD_ID: no report column names a keyword
            for c in cols:
                summed[(r["AD_GROUP_ID"], r["DATE"])][c] += r.get(c, 0)
    group_rows = {(k, r["DATE"]): {c: r.get(c, 0) for c in cols} for k, rows in groups.items() for r in rows}
    assert {k: dict(v) for k, v in summed.items()} == group_rows  # keywords add up to their ad group exactly
    targeting = json.loads(_finish(rapi, account, level="AD_GROUP_TARGETING", columns=cols,
                                   targeting_types=["GENDER", "PLACEMENT"], granularity="TOTAL"))
    for key, rows in targeting.items():
        for ttype in ("GENDER", "PLACEMENT"):
            shares = [r for r in rows if r["TARGETING_TYPE"] == ttype]
            assert shares and all(r["AD_GROUP_ID"] == key and "TARGETING_VALUE" in r for r in shares)
            assert sum(r.get("SPEND_IN_MICRO_DOLLAR", 0) for r in shares) == sum(
                r.get("SPEND_IN_MICRO_DOLLAR", 0) for r in groups[key])
    assert json.loads(_finish(rapi, account, level="PRODUCT_ITEM", columns=cols)) == {}


def _promotions(api, account):
    return api.all_pages(f"/ad_accounts/{account}/product_group_promotions",
                         {"entity_statuses": ["ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"], "page_size": 250})


@pytest.mark.parametrize("analytics_ids", ["promotion", "catalog"])
def test_product_group_reports_hold_the_product_group_analytics_rows(rapi, analytics_ids):
    account = _account(rapi)
    rapi.server.control.set_product_groups_behaviour(analytics_ids)
    key = "id" if analytics_ids == "promotion" else "catalog_product_group_id"
    promos = _promotions(rapi, account)
    ids = list(dict.fromkeys(p[key] for p in promos))
    cols = ["SPEND_IN_MICRO_DOLLAR", "TOTAL_IMPRESSION", "TOTAL_CHECKOUT", "CTR"]
    data = json.loads(_finish(rapi, account, level="PRODUCT_GROUP", columns=cols))
    rows = rapi.get(f"/ad_accounts/{account}/product_groups/analytics", params={
        "product_group_ids": ",".join(ids), "columns": ",".join(cols), "granularity": "DAY",
        "start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY)}).json()
    expected = defaultdict(list)
    for row in rows:
        if any(row.get(c) for c in cols):
            expected[row["PRODUCT_GROUP_ID"]].append({k: v for k, v in row.items() if v != 0})
    assert data and data == dict(expected)
    # filters: product group ids, summary statuses (EXCLUDED = not included), ad groups
    one = promos[1]
    only = json.loads(_finish(rapi, account, level="PRODUCT_GROUP", columns=cols, product_group_ids=[one[key]]))
    assert only == {one[key]: data[one[key]]}
    paused = json.loads(_finish(rapi, account, level="PRODUCT_GROUP", columns=cols,
                                product_group_statuses=["PAUSED"]))
    assert paused and set(paused) <= {p[key] for p in promos if p["status"] == "PAUSED"}
    assert {k: v for k, v in data.items() if k in paused} == paused
    by_group = json.loads(_finish(rapi, account, level="PRODUCT_GROUP", columns=cols, ad_group_ids=[one["ad_group_id"]]))
    assert by_group and set(by_group) <= {p[key] for p in promos if p["ad_group_id"] == one["ad_group_id"]}
    text = _finish(rapi, account, level="PRODUCT_GROUP", columns=cols, report_format="CSV").decode("utf-8")
    reader = list(csv.reader(io.StringIO(text)))
    assert reader[0] == ["DATE", "PRODUCT_GROUP_ID"] + cols and len(reader) - 1 == sum(map(len, data.values()))


def test_filters_narrow_the_report(rapi):
    account = _account(rapi)
    base = f"/ad_accounts/{account}"
    campaigns = rapi.get(base + "/campaigns").json()["items"]
    picked = [c["id"] for c in campaigns[:2]]
    data = json.loads(_finish(rapi, account, campaign_ids=picked))
    assert set(data) <= set(picked) and data
    awareness = json.loads(_finish(rapi, account, campaign_objective_types=["AWARENESS"], level="AD_GROUP"))
    groups = {g["id"]: g for g in rapi.all_pages(base + "/ad_groups", {"page_size": 250})}
    objectives = {c["id"]: c["objective_type"] for c in campaigns}
    assert awareness and {objectives[groups[g]["campaign_id"]] for g in awareness} == {"AWARENESS"}
    rich = json.loads(_finish(rapi, account, metrics_filters=[
        {"field": "SPEND_IN_DOLLAR", "operator": "GREATER_THAN", "values": [60]}], columns=["TOTAL_CLICKTHROUGH"]))
    everything = json.loads(_finish(rapi, account, columns=["TOTAL_CLICKTHROUGH", "SPEND_IN_DOLLAR"]))
    kept = {(k, r["DATE"]) for k, rows in rich.items() for r in rows}
    assert kept == {(k, r["DATE"]) for k, rows in everything.items() for r in rows if r["SPEND_IN_DOLLAR"] > 60}
    assert all("SPEND_IN_DOLLAR" not in r for rows in rich.values() for r in rows)
    assert json.loads(_finish(rapi, account, ad_statuses=["REJECTED"], campaign_ids=picked)) == {}


def test_link_expires_after_five_minutes_and_the_report_after_an_hour(rapi):
    account = _account(rapi)
    control = rapi.server.control
    token = _create(rapi, account)["token"]
    for _ in range(3):
        status = _poll(rapi, account, token)
    url = status["url"]
    control.advance_clock(301)
    expired = requests.get(url, timeout=30)
    assert expired.status_code == 403 and b"<Code>AccessDenied</Code>" in expired.content
    assert b"Request has expired" in expired.content
    tampered = requests.get(url.replace("sig=", "sig=0"), timeout=30)
    assert tampered.status_code == 403 and b"SignatureDoesNotMatch" in tampered.content
    fresh = _poll(rapi, account, token)
    assert fresh["report_status"] == "FINISHED" and fresh["url"] != url
    assert requests.get(fresh["url"], timeout=30).status_code == 200
    control.set_report_behaviour(url_ttl_seconds=7200)
    long_link = _poll(rapi, account, token)["url"]  # the job keeps the TTL it was created with
    control.advance_clock(3600)
    assert _poll(rapi, account, token) == {"report_status": "EXPIRED", "url": None, "size": None}
    gone = requests.get(long_link, timeout=30)
    assert gone.status_code == 403  # the 5-minute link of that job expired long ago
    assert control.reports()[0]["status"] == "EXPIRED"
    token = _create(rapi, account)["token"]  # created with a 2-hour link TTL
    for _ in range(3):
        link = _poll(rapi, account, token)["url"]
    control.advance_clock(3601)
    deleted = requests.get(link, timeout=30)  # the link is still valid, the report is gone
    assert deleted.status_code == 404 and b"<Code>NoSuchKey</Code>" in deleted.content


def test_unknown_tokens_and_other_accounts_do_not_exist(rapi):
    accounts = [a["id"] for a in rapi.accounts()]
    token = _create(rapi, accounts[0])["token"]
    missing = {"report_status": "DOES_NOT_EXIST", "url": None, "size": None}
    assert _poll(rapi, accounts[0], "5b7d2e4e-0000-4000-8000-000000000000") == missing
    assert _poll(rapi, accounts[1], token) == missing
    assert _poll(rapi, accounts[0], token)["report_status"] == "IN_PROGRESS"


@pytest.mark.parametrize("outcome", ["FAILED", "CANCELLED", "EXPIRED"])
def test_configured_outcomes_apply_to_later_reports(rapi, outcome):
    account = _account(rapi)
    before = _create(rapi, account)["token"]
    behaviour = rapi.server.control.set_report_behaviour(polls_to_finish=0, outcome=outcome)
    assert behaviour == {"polls_to_finish": 0, "outcome": outcome, "url_ttl_seconds": 300, "json_layout": "by_entity",
                         "column_names": "as_requested", "csv_bom": False, "file_format": "as_requested"}
    after = _create(rapi, account)["token"]
    assert _poll(rapi, account, after) == {"report_status": outcome, "url": None, "size": None}
    assert [_poll(rapi, account, before)["report_status"] for _ in range(3)] == ["IN_PROGRESS", "IN_PROGRESS",
                                                                              "FINISHED"]
    statuses = {r["token"]: r["status"] for r in rapi.server.control.reports()}
    assert statuses == {before: "FINISHED", after: outcome}


def test_control_plane_checks_its_arguments(rapi):
    control = rapi.server.control
    for bad in ({"outcome": "DONE"}, {"polls_to_finish": -1}, {"url_ttl_seconds": 0}):
        with pytest.raises(EmulatorControlError):
            control.set_report_behaviour(**bad)
    control.set_clock(None)
    now = control.health()["now"]
    assert now + 10 <= control.advance_clock(10) <= now + 15
    assert control.health()["now"] == control.advance_clock(0)


BAD_BODIES = [
    ({"level": None}, "level is required"),
    ({"level": "CREATIVE"}, "level is required"),
    ({"columns": []}, "columns is required"),
    ({"columns": ["SPEND_IN_DOLLAR", "NOPE"]}, "NOPE"),
    ({"granularity": "WEEKLY"}, "granularity"),
    ({"start_date": None}, "start_date is required"),
    ({"start_date": "2025-3-1"}, "YYYY-MM-DD"),
    ({"end_date": str(TODAY + timedelta(days=1))}, "future"),
    ({"start_date": str(TODAY - timedelta(days=915)), "end_date": str(TODAY - timedelta(days=900))},
     "914 days before today"),
    ({"start_date": str(TODAY - timedelta(days=186))}, "longer than 186 days"),
    ({"granularity": "HOUR", "start_date": str(TODAY - timedelta(days=3))}, "at most 3 days"),
    ({"granularity": "HOUR", "start_date": str(TODAY - timedelta(days=9)), "end_date": str(TODAY - timedelta(days=8))},
     "HOUR granularity"),
    ({"campaign_ids": [str(10**11 + i) for i in range(501)]}, "at most 500"),
    ({"campaign_ids": ["C123"]}, "numeric"),
    ({"campaign_statuses": ["ACTIVE"]}, "campaign_statuses"),
    ({"ad_statuses": ["APPROVED"] * 7}, "at most 6"),
    ({"targeting_types": ["GENDER"]}, "requires a level ending in _TARGETING"),
    ({"level": "CAMPAIGN_TARGETING"}, "targeting_types"),
    ({"level": "AD_GROUP_TARGETING",
      "targeting_types": ["GENDER", "AGE_BUCKET", "APPTYPE", "GEO", "REGION", "COUNTRY"]}, "at most 5"),
    ({"level": "PRODUCT_ITEM", "ad_ids": ["123"]}, "PRODUCT_ITEM"),
    ({"level": "PRODUCT_ITEM", "start_date": str(TODAY - timedelta(days=31))}, "longer than 31 days"),
    ({"report_format": "XLSX"}, "report_format"),
    ({"click_window_days": 5}, "click_window_days"),
    ({"attribution_types": ["HOUSE"]}, "attribution_types"),
    ({"metrics_filters": [{"field": "CTR", "operator": "GREATER_THAN", "values": [1]}]}, "metrics_filters.field"),
    ({"metrics_filters": [{"field": "SPEND_IN_DOLLAR", "operator": "GREATER_THAN", "values": []}]}, "values"),
]


@pytest.mark.parametrize("changes,detail", BAD_BODIES, ids=[str(i) for i in range(len(BAD_BODIES))])
def test_create_rules_and_message(plain_rapi, changes, detail):
    account = plain_rapi.accounts()[0]["id"]
    r = plain_rapi.post(f"/ad_accounts/{account}/reports", json=_body(**changes))
    assert r.status_code == 400 and r.json()["code"] == 400, r.text
    assert r.json()["message"].startswith(MESSAGE) and detail in r.json()["message"], r.json()


def test_create_takes_no_query_parameters_and_get_needs_a_token(plain_rapi, rapi):
    account = plain_rapi.accounts()[0]["id"]
    for api in (plain_rapi, rapi):
        r = api.session.post(f"{api.base}/ad_accounts/{account}/reports", params={"level": "CAMPAIGN"}, json=_body(),
                             headers={"Authorization": f"Bearer {api.token}"})
        assert r.status_code == 400 and r.json()["message"].startswith(MESSAGE)
        r = api.get(f"/ad_accounts/{account}/reports")
        assert r.status_code == 400 and r.json()["message"].startswith(MESSAGE)
    ok = plain_rapi.post(f"/ad_accounts/{account}/reports", json=_body(
        start_date=str(TODAY - timedelta(days=913)), end_date=str(TODAY - timedelta(days=728))))
    assert ok.status_code == 200  # 914 days back, 186 calendar days
