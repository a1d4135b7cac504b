"""Bookmark paging: page sizes, last-page bookmark, bounds, bad bookmarks, order."""

import pytest


def test_pages_cover_every_item_once_and_end_with_null_bookmark(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/ad_groups"
    everything = ro_api.get(path, params={"page_size": 250}).json()
    assert everything["bookmark"] is None
    paged, params, pages = [], {"page_size": 4}, 0
    while True:
        body = ro_api.get(path, params=params).json()
        assert len(body["items"]) <= 4
        paged.extend(body["items"])
        pages += 1
        if body["bookmark"] is None:
            break
        assert len(body["items"]) == 4
        params["bookmark"] = body["bookmark"]
    assert [g["id"] for g in paged] == [g["id"] for g in everything["items"]]
    assert pages == -(-len(everything["items"]) // 4)


def test_default_page_size_is_25(api):
    api.server.control.reset(accounts=[{"name": "Many Co", "campaigns": 30, "statuses": "active"}])
    account = api.accounts()[0]
    body = api.get(f"/ad_accounts/{account['id']}/campaigns").json()
    assert len(body["items"]) == 25 and body["bookmark"]
    rest = api.get(f"/ad_accounts/{account['id']}/campaigns", params={"bookmark": body["bookmark"]}).json()
    assert len(rest["items"]) == 5 and rest["bookmark"] is None


@pytest.mark.parametrize("size", ["0", "251", "-1", "ten"])
def test_page_size_out_of_range_is_400(ro_api, us_account, size):
    r = ro_api.get(f"/ad_accounts/{us_account['id']}/campaigns", params={"page_size": size})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == 400
    assert body["message"].startswith("Invalid ad account campaign parameters.")


def test_page_size_bounds_are_inclusive(ro_api, us_account):
    for size in (1, 250):
        r = ro_api.get(f"/ad_accounts/{us_account['id']}/campaigns", params={"page_size": size})
        assert r.status_code == 200


def test_garbage_bookmark_is_400(ro_api, us_account):
    r = ro_api.get(f"/ad_accounts/{us_account['id']}/ads", params={"bookmark": "not-a-bookmark!!"})
    assert r.status_code == 400
    assert r.json()["message"].startswith("Invalid ad account ads parameters.")


def test_bookmark_from_other_filters_is_400(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/campaigns"
    mark = ro_api.get(path, params={"page_size": 1}).json()["bookmark"]
    assert mark
    assert ro_api.get(path, params={"page_size": 1, "bookmark": mark}).status_code == 200
    other = ro_api.get(path, params={"page_size": 1, "bookmark": mark, "entity_statuses": "ARCHIVED"})
    assert other.status_code == 400
    other_order = ro_api.get(path, params={"bookmark": mark, "order": "DESCENDING"})
    assert other_order.status_code == 400


def test_order_sorts_by_numeric_id(ro_api, us_account):
    path = f"/ad_accounts/{us_account['id']}/ads"
    asc = [a["id"] for a in ro_api.all_pages(path, {"order": "ASCENDING", "page_size": 7})]
    desc = [a["id"] for a in ro_api.all_pages(path, {"order": "DESCENDING", "page_size": 7})]
    assert asc == sorted(asc, key=int)
    assert desc == list(reversed(asc))
    assert ro_api.get(path, params={"order": "RANDOM"}).status_code == 400


def test_ad_accounts_paging_and_shared_filter(ro_api):
    first = ro_api.get("/ad_accounts", params={"page_size": 2}).json()
    assert len(first["items"]) == 2 and first["bookmark"]
    second = ro_api.get("/ad_accounts", params={"page_size": 2, "bookmark": first["bookmark"]}).json()
    assert len(second["items"]) == 1 and second["bookmark"] is None
    owned = ro_api.get("/ad_accounts", params={"include_shared_accounts": "false"}).json()["items"]
    assert len(owned) == 2
    assert all(a["permissions"] == ["OWNER"] for a in owned)


def test_keyword_list_pages(ro_api, us_account):
    groups = ro_api.get(f"/ad_accounts/{us_account['id']}/ad_groups", params={"page_size": 1}).json()["items"]
    path = f"/ad_accounts/{us_account['id']}/keywords"
    first = ro_api.get(path, params={"ad_group_id": groups[0]["id"], "page_size": 3}).json()
    assert len(first["items"]) == 3 and first["bookmark"]
    rest = ro_api.get(path, params={"ad_group_id": groups[0]["id"], "page_size": 3,
                                    "bookmark": first["bookmark"]}).json()
    assert len(rest["items"]) == 1 and rest["bookmark"] is None
