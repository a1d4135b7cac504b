"""pt.read_conversion_tags, read_audience_sizing / reach_change, read_related_terms,
read_suggested_terms, read_delivery_metrics, read_ad_account_countries and read_interests on the
emulator's demo data (answers validated against the spec), and the service calls they make
checked against the 5.23.0 spec (path, method, rate-limit category, query parameters)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import pintools as pt
from pintools.api import Services
from pintools.http.requestor import ApiResponse

US_SPEC = {"LOCATION": ["US"]}


@pytest.fixture
def account(client):
    accounts = pt.read_ad_accounts(client=client)
    return accounts.loc[accounts["currency"] == "USD", "id"].iloc[0]


def test_conversion_tags_frame_is_typed_and_filter_deleted_drops_archived(client, account):
    tags = pt.read_conversion_tags(account, client=client)
    assert tags["id"].dtype == "string" and tags["id"].str.fullmatch(r"\d+").all()
    assert str(tags["last_fired_time"].dtype) == "datetime64[ns, UTC]"
    assert tags["aem_enabled"].dtype == "boolean" and tags["md_frequency"].dtype == "Float64"
    assert set(tags["status"]) == {"ACTIVE", "ARCHIVED"}
    live = pt.read_conversion_tags(account, filter_deleted=True, client=client)
    assert set(live["status"]) == {"ACTIVE"}
    by_id = pt.read_conversion_tags(account, ids=list(live["id"]), client=client)
    pd.testing.assert_frame_equal(by_id, live)


def test_a_created_conversion_tag_is_read_back(fresh_emulator):
    c = pt.connect(emulator=fresh_emulator, quiet=True)
    account = pt.read_ad_accounts(client=c)["id"].iloc[0]
    made = c.conversion_tags.create(account, {"name": "Checkout tag", "aem_ph_enabled": True})
    tags = pt.read_conversion_tags(account, client=c).set_index("id")
    assert tags.loc[made["id"], "name"] == "Checkout tag" and bool(tags.loc[made["id"], "aem_ph_enabled"])
    assert pd.isna(tags.loc[made["id"], "last_fired_time"])


def test_a_conversion_tag_needs_a_name_before_any_request(client, account):
    with pytest.raises(ValueError, match="needs a non-empty 'name'"):
        client.conversion_tags.create(account, {"aem_enabled": True})


def test_audience_sizing_one_row_per_spec_keeping_the_series_index(client, account):
    one = pt.read_audience_sizing(account, US_SPEC, client=client)
    assert len(one) == 1 and one["audience_size_midpoint"].dtype == "Int64"
    lo, hi, mid = one.iloc[0][["audience_size_lower_bound", "audience_size_upper_bound", "audience_size_midpoint"]]
    assert lo < mid < hi
    specs = pd.Series([US_SPEC, {**US_SPEC, "GENDER": ["female"]}], index=pd.Index(["all", "women"], name="id"))
    many = pt.read_audience_sizing(account, specs, client=client)
    assert list(many.index) == ["all", "women"]
    assert many.loc["women", "audience_size_midpoint"] < many.loc["all", "audience_size_midpoint"]
    assert many.loc["all", "audience_size_midpoint"] == mid


def test_reach_change_for_a_targeting_review(client, account):
    change = pt.reach_change(account, [US_SPEC, US_SPEC], [{"LOCATION": ["US", "CA"]}, {**US_SPEC, "GENDER": ["male"]}],
                             client=client)
    assert change["reach_change"].dtype == "Float64"
    assert change["reach_change"].iloc[0] > 0 > change["reach_change"].iloc[1]
    assert (change["reach_after"] / change["reach_before"] - 1 - change["reach_change"]).abs().max() < 1e-9


def test_audience_sizing_refuses_a_non_mapping_spec_before_any_request(client, account):
    with pytest.raises(ValueError, match="targeting spec #1 is a str"):
        pt.read_audience_sizing(account, [US_SPEC, "US"], client=client)


def test_related_terms_long_frame(client):
    df = pt.read_related_terms(["velvet sofa", "jute rug"], client=client)
    assert list(df["term"].unique()) == ["velvet sofa", "jute rug"]
    assert df.attrs["related_term_count"] == len(df) and df.attrs["id"] == "velvet sofa"
    assert df.groupby("term")["rank"].min().eq(1).all() and df["related_term"].dtype == "string"


def test_suggested_terms_limit(client):
    df = pt.read_suggested_terms("velvet sofa", limit=7, client=client)
    assert len(df) == 7 and df["rank"].tolist() == list(range(1, 8))
    assert df["suggested_term"].str.startswith("velvet sofa").all()
    with pytest.raises(ValueError, match="from 1 to 10"):
        pt.read_suggested_terms("sofa", limit=11, client=client)
    with pytest.raises(ValueError, match="commas"):
        pt.read_related_terms(["sofa, velvet"], client=client)


def test_delivery_metrics_definitions(client):
    sync = pt.read_delivery_metrics("SYNC", client=client)
    assert list(sync.columns) == ["name", "display_name", "definition", "category"]
    assert sync.set_index("name").loc["SPEND_IN_MICRO_DOLLAR", "display_name"] == "Spend"
    assert sync["display_name"].isna().any() and sync["definition"].notna().all()
    assert len(pt.read_delivery_metrics(client=client)) > len(sync)


def test_ad_account_countries(client):
    df = pt.read_ad_account_countries(client=client)
    assert df.set_index("code").loc["GB", "currency_name"] == "Pounds" and df["index"].dtype == "Int64"
    assert "currency" not in df.columns  # Pinterest's word ("Dollars") is not an ISO code


def test_interests_with_children(client):
    df = pt.read_interests(["935249274030"], client=client)
    row = df.iloc[0]
    assert (row["id"], row["name"], row["level"]) == ("935249274030", "Home Decor", 1)
    children = pt.read_interests(row["child_interests"], client=client)
    assert (children["level"] == 2).all() and len(children) == len(row["child_interests"])


class _Recorder:
    def __init__(self):
        self.calls = []

    def request(self, method, path, *, category, params=None, json_body=None, **_):
        self.calls.append((method, path, category, dict(params or {})))
        return ApiResponse(200, {"items": []}, {})


def _exercise(services: Services) -> None:
    services.conversion_tags.list("1", filter_deleted=True)
    services.conversion_tags.get("1", "2")
    services.conversion_tags.create("1", {"name": "x"})
    services.resources.audience_sizing("1", US_SPEC, placement_group="search", creative_types=["VIDEO"])
    services.resources.related_terms(["a", "b"])
    services.resources.suggested_terms("a", limit=3)
    services.resources.delivery_metrics("async")
    services.resources.ad_account_countries()
    services.resources.interest("935249274030")


def _operation(spec, method, path):
    for template, ops in spec["paths"].items():
        if method.lower() in ops and re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path):
            literal = any(t.count("{") < template.count("{") and method.lower() in o
                          and re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(t)), path)
                          for t, o in spec["paths"].items())
            if not literal:
                return ops[method.lower()]
    raise AssertionError(f"{method} {path} is not a spec operation")


def _deref(spec, node):
    while "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_service_calls_are_spec_operations_with_their_categories_and_parameters(openapi_spec):
    recorder = _Recorder()
    _exercise(Services(recorder))
    assert len(recorder.calls) == 9
    for method, path, category, params in recorder.calls:
        op = _operation(openapi_spec, method, path)
        assert category == op["x-ratelimit-category"], (method, path)
        parameters = [_deref(openapi_spec, p) for p in op.get("parameters", [])]
        declared = {p["name"]: p.get("schema", {}) for p in parameters if p.get("in") == "query"}
        for name, value in params.items():
            assert name in declared, (path, name)
            enum = declared[name].get("enum")
            assert enum is None or value in enum, (path, name, value)


NEW_READERS = {"read_conversion_tags": "pintools.conversion_tags", "read_audience_sizing": "pintools.research",
               "reach_change": "pintools.research", "read_related_terms": "pintools.research",
               "read_suggested_terms": "pintools.research", "read_delivery_metrics": "pintools.research",
               "read_ad_account_countries": "pintools.research", "read_interests": "pintools.research"}


@pytest.mark.parametrize("name, module", sorted(NEW_READERS.items()))
def test_readers_are_exported_lazily_with_an_example(name, module):
    import importlib

    assert name in pt.__all__
    function = getattr(pt, name)
    assert function is getattr(importlib.import_module(module), name)
    assert re.search(rf">>> .*pt\.{name}\(", function.__doc__ or ""), f"{name} has no example"
