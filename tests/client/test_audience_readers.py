"""read_audiences / read_customer_lists and the audiences and customer_lists services."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import pintools as pt
from pintools.api import Services
from pintools.frames import schema
from pintools.http.requestor import ApiResponse

SPEC_23 = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "pinterest-openapi-v5.23.0.json"


@pytest.fixture
def account(client):
    return pt.read_ad_accounts(client=client)["id"].iloc[0]


def test_read_audiences_is_typed_and_ids_stay_strings(client, account):
    df = pt.read_audiences(account, client=client)
    assert list(df.columns) == schema.AUDIENCE.columns and len(df) == 7
    for field in schema.AUDIENCE.fields:
        assert str(df[field.column].dtype) == field.dtype, field.column
    assert str(df["size"].dtype) == "Int64" and str(df["created_timestamp"].dtype) == "datetime64[ns, UTC]"
    assert df["id"].str.fullmatch(r"\d{13}").all() and (df["ad_account_id"] == account).all()
    assert df["id"].astype("int64").is_monotonic_increasing
    assert (df["created_timestamp"] <= df["updated_timestamp"]).all()
    assert set(df["audience_type"]) == {"CUSTOMER_LIST", "VISITOR", "ENGAGEMENT", "ACTALIKE"}
    assert (df["type"] == "audience").all() and df["created_by_company_name"].isna().all()


def test_too_small_audiences_and_their_customer_lists(client, account):
    audiences = pt.read_audiences(account, client=client)
    lists = pt.read_customer_lists(account, client=client)
    small = audiences[audiences["status"] == "TOO_SMALL"]
    assert len(small) == 1 and small["size"].iloc[0] < 100
    assert (audiences.loc[audiences["status"] == "READY", "size"] >= 100).all()
    joined = lists.merge(audiences, left_on="id", right_on="customer_list_id", suffixes=("_list", ""))
    assert len(joined) == 3 and (joined["status_list"] == joined["status"]).all()
    assert audiences["customer_list_id"].isna().sum() == 4  # only CUSTOMER_LIST audiences have one


def test_read_customer_lists_is_typed(client, account):
    df = pt.read_customer_lists(account, client=client)
    assert list(df.columns) == schema.CUSTOMER_LIST.columns and len(df) == 3
    for field in schema.CUSTOMER_LIST.fields:
        assert str(df[field.column].dtype) == field.dtype, field.column
    assert df["id"].str.fullmatch(r"\d+").all() and (df["type"] == "customerlist").all()
    assert (df["num_uploaded_user_records"] > 0).all() and set(df["status"]) == {"READY", "TOO_SMALL"}
    assert isinstance(df.loc[0, "created_time"], pd.Timestamp) and str(df.loc[0, "created_time"].tz) == "UTC"


def test_received_audiences_are_an_empty_frame_with_every_column(client, account):
    df = pt.read_audiences(account, ownership_type="RECEIVED", client=client)
    assert len(df) == 0 and list(df.columns) == schema.AUDIENCE.columns


def test_readers_are_lazy_exports_of_the_package():
    from pintools import audiences

    assert pt.read_audiences is audiences.read_audiences and pt.read_customer_lists is audiences.read_customer_lists
    assert {"read_audiences", "read_customer_lists"} <= set(pt.__all__)


def test_create_update_and_remove_through_the_service(fresh_emulator):
    client = pt.connect(emulator=fresh_emulator, quiet=True)
    account = pt.read_ad_accounts(client=client)["id"].iloc[0]
    made = client.audiences.create(account, name="Checkout – 7 Days", audience_type="VISITOR",
                                   rule={"visitor_source_id": "5118617303078", "retention_days": 7})
    assert made["status"] == "INITIALIZING" and made["size"] is None
    assert client.audiences.get(account, made["id"])["name"] == "Checkout – 7 Days"
    renamed = client.audiences.update(account, made["id"], name="Checkout – Last Week")
    assert renamed["name"] == "Checkout – Last Week"
    client.audiences.update(account, made["id"], operation_type="REMOVE")
    with pytest.raises(pt.NotFound):
        client.audiences.get(account, made["id"])
    with pytest.raises(pt.InvalidRequest, match="retention_days"):
        client.audiences.create(account, name="x", audience_type="VISITOR",
                                rule={"visitor_source_id": "1", "retention_days": 999})
    sent = fresh_emulator.control.requests(operation_id="audiences/create")[0]
    assert sent["json"]["ad_account_id"] == account and sent["category"] == "ads_write"


def test_the_services_refuse_bad_arguments_before_any_request(client, account, emulator):
    emulator.control.clear_requests()
    with pytest.raises(ValueError, match="audience_type"):
        client.audiences.create(account, name="x", audience_type="LOOKALIKE", rule={})
    with pytest.raises(ValueError, match="rule"):
        client.audiences.create(account, name="x", audience_type="VISITOR", rule="visitors")
    with pytest.raises(ValueError, match="nothing to update"):
        client.audiences.update(account, "2542620082297")
    with pytest.raises(ValueError, match="too long for floats"):
        client.customer_lists.get(account, 5.497558024014e12)
    with pytest.raises(ValueError, match="ownership_type"):
        list(client.audiences.list(account, ownership_type="SHARED"))
    assert emulator.control.requests() == []


class _Recorder:
    base_url = "http://recorder/v5"

    def __init__(self):
        self.calls = []

    def request(self, method, path, *, category, params=None, json_body=None, **_):
        self.calls.append((method, path, category, params or {}))
        return ApiResponse(200, {}, {})

    def paginate(self, path, *, category, params=None, page_size=250):
        self.request("GET", path, category=category, params={**(params or {}), "page_size": page_size})
        return iter(())


def test_service_calls_are_spec_operations_with_their_categories_and_parameters(openapi_spec):
    recorder = _Recorder()
    services = Services(recorder)
    list(services.audiences.list("1", ownership_type="RECEIVED", order="DESCENDING"))
    services.audiences.get("1", "2")
    services.audiences.create("1", name="x", audience_type="PERSONA", rule={}, description="d")
    services.audiences.update("1", "2", operation_type="REMOVE")
    list(services.customer_lists.list("1", order="ASCENDING"))
    services.customer_lists.get("1", "3")
    paths = openapi_spec["paths"]
    templates = {
        "/ad_accounts/1/audiences": "/ad_accounts/{ad_account_id}/audiences",
        "/ad_accounts/1/audiences/2": "/ad_accounts/{ad_account_id}/audiences/{audience_id}",
        "/ad_accounts/1/customer_lists": "/ad_accounts/{ad_account_id}/customer_lists",
        "/ad_accounts/1/customer_lists/3": "/ad_accounts/{ad_account_id}/customer_lists/{customer_list_id}",
    }
    assert len(recorder.calls) == 6
    for method, path, category, params in recorder.calls:
        op = paths[templates[path]][method.lower()]
        assert category == op["x-ratelimit-category"], (method, path)
        declared = set()
        for p in op["parameters"]:
            if "$ref" in p:
                p = openapi_spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]]
            if p["in"] == "query":
                declared.add(p["name"])
        assert set(params) <= declared, (method, path, params)


def _properties(spec: dict, name: str) -> set[str]:
    node = spec["components"]["schemas"][name]
    return set(node.get("properties", {}))


@pytest.mark.parametrize("table, schema_name", [(schema.AUDIENCE, "Audience"), (schema.CUSTOMER_LIST, "CustomerList")])
def test_frame_schemas_read_every_spec_field_and_invent_none(openapi_spec, table, schema_name):
    fields_12 = _properties(openapi_spec, schema_name)
    fields_23 = _properties(json.loads(SPEC_23.read_text()), schema_name) if SPEC_23.is_file() else fields_12
    assert fields_12 | fields_23 == table.api_fields
