"""The client's own tables checked against Pinterest's OpenAPI spec: every path, method and
rate-limit category the services use, every query parameter they send, and every field the
frame schemas read."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pintools.api import Services
from pintools.api.entities import ENTITY_STATUSES
from pintools.api.keywords import MATCH_TYPES
from pintools.frames import AD, AD_ACCOUNT, AD_GROUP, CAMPAIGN, KEYWORD
from pintools.http.errors import PinterestError
from pintools.http.requestor import ApiResponse

pytestmark = pytest.mark.spec

ACCOUNT = "549755885175"


class RecordingRequestor:
    """Stands in for the requestor: records each call and answers with an empty success."""

    base_url = "http://recorder/v5"

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def request(self, method, path, *, category, params=None, json_body=None, form=None, **_):
        self.calls.append({"method": method, "path": path, "category": category, "params": params or {},
                           "json": json_body, "form": form})
        if isinstance(json_body, list):
            return ApiResponse(200, {"items": [{"data": {}, "exceptions": []} for _ in json_body]}, {})
        return ApiResponse(200, {"items": [], "bookmark": None, "keywords": [], "errors": []}, {})

    def paginate(self, path, *, category, params=None, page_size=250):
        self.request("GET", path, category=category, params={**(params or {}), "page_size": page_size})
        return iter(())


def _exercise(services: Services) -> None:
    list(services.ad_accounts.list())
    services.ad_accounts.get(ACCOUNT)
    for svc in (services.campaigns, services.ad_groups, services.ads):
        list(svc.list(ACCOUNT, entity_statuses=["ACTIVE"], order="ASCENDING"))
        list(svc.list(ACCOUNT, campaign_ids=["1"]))
        svc.get(ACCOUNT, "1")
        svc.create(ACCOUNT, [{"name": "x"}])
        svc.update(ACCOUNT, [{"id": "1"}])
    list(services.ad_groups.list(ACCOUNT, ad_group_ids=["1"]))
    list(services.ads.list(ACCOUNT, ad_ids=["1"]))
    list(services.ads.list(ACCOUNT, ad_group_ids=["1"]))
    list(services.keywords.list(ACCOUNT, ad_group_id="1", match_types=["EXACT"]))
    list(services.keywords.list(ACCOUNT, campaign_id="1"))
    services.keywords.create(ACCOUNT, "1", [{"value": "sofa", "match_type": "EXACT"}])
    services.keywords.update(ACCOUNT, [{"id": "1", "bid": 10}])
    # the research, analytics, bulk and leads services (answers are not checked here, only the calls)
    calls = [
        lambda: services.analytics.sync("campaign", ACCOUNT, ids=["1"], start_date="2026-11-01",
                                        end_date="2026-11-02", columns=["SPEND_IN_DOLLAR"], granularity="DAY",
                                        click_window_days=7, conversion_report_time="TIME_OF_AD_ACTION"),
        lambda: services.analytics.sync("ad_account", ACCOUNT, start_date="2026-11-01", end_date="2026-11-02",
                                        columns=["CTR"], granularity="TOTAL"),
        lambda: services.analytics.targeting("ad_group", ACCOUNT, ids=["1"], start_date="2026-11-01",
                                             end_date="2026-11-02", columns=["CTR"], granularity="DAY",
                                             targeting_types=["GENDER"], attribution_types="INDIVIDUAL"),
        lambda: services.reports.create(ACCOUNT, {"level": "CAMPAIGN"}),
        lambda: services.reports.get(ACCOUNT, "token"),
        lambda: services.insights.keyword_metrics(ACCOUNT, "US", ["sofa"]),
        lambda: services.insights.trending_keywords("GB+IE", "growing", interests=["home_decor"], genders=["female"],
                                                    ages=["25-34"], normalize_against_group=True, limit=10),
        lambda: services.insights.audience_insights(ACCOUNT, "YOUR_TOTAL_AUDIENCE"),
        lambda: services.insights.audience_definitions(ACCOUNT),
        lambda: services.insights.targeting_options("LOCATION"),
        lambda: services.insights.bid_floors(ACCOUNT, [{"billable_event": "CLICKTHROUGH", "currency": "USD"}]),
        lambda: services.bulk.upsert(ACCOUNT, {"update": {}}),
        lambda: services.bulk.status(ACCOUNT, "549755885175-1-abc", include_details=True),
        lambda: services.bulk.download(ACCOUNT, {"entity_types": ["CAMPAIGN"]}),
        lambda: services.leads.create_subscription(ACCOUNT, "https://example.com/hook", lead_form_id="1"),
        lambda: list(services.leads.subscriptions(ACCOUNT)),
        lambda: services.leads.subscription(ACCOUNT, "1"),
        lambda: services.leads.delete_subscription(ACCOUNT, "1"),
        lambda: list(services.leads.lead_forms(ACCOUNT)),
        lambda: services.leads.lead_form(ACCOUNT, "1"),
        lambda: services.leads.lead_form_questions(),
        lambda: services.leads.create_test_lead(ACCOUNT, "1", ["Ada", "ada@example.com"]),
    ]
    for call in calls:
        try:
            call()
        except (PinterestError, KeyError, TypeError, AttributeError):
            pass  # the recorder's canned answer does not fit every endpoint; the call was recorded


def _template_for(spec: dict, method: str, path: str) -> tuple[str, dict]:
    for template, ops in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in ops:
            # prefer literal segments over parameters (e.g. /ad_groups/analytics over /ad_groups/{id})
            literal = [t for t, o in spec["paths"].items()
                       if t.count("{") < template.count("{") and method.lower() in o
                       and re.match("^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(t)) + "$", path)]
            if literal:
                template = literal[0]
            return template, spec["paths"][template][method.lower()]
    raise AssertionError(f"{method} {path} is not an operation in the spec")


def _deref(spec: dict, node: dict) -> dict:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node, seen = target, seen + 1
    return node


def test_every_service_call_is_a_spec_operation_with_its_rate_limit_category(openapi_spec):
    recorder = RecordingRequestor()
    _exercise(Services(recorder))
    assert len(recorder.calls) >= 42
    for call in recorder.calls:
        template, op = _template_for(openapi_spec, call["method"], call["path"])
        assert call["category"] == op["x-ratelimit-category"], (call["method"], template)


def test_every_query_parameter_the_services_send_is_declared_with_valid_values(openapi_spec):
    recorder = RecordingRequestor()
    _exercise(Services(recorder))
    for call in recorder.calls:
        template, op = _template_for(openapi_spec, call["method"], call["path"])
        declared = {}
        for p in op.get("parameters", []):
            p = _deref(openapi_spec, p)
            if p["in"] == "query":
                declared[p["name"]] = p
        for name, value in call["params"].items():
            assert name in declared, f"{call['method']} {template} does not take query parameter {name!r}"
            schema = _deref(openapi_spec, declared[name].get("schema", {}))
            items = _deref(openapi_spec, schema.get("items", {})) if schema.get("type") == "array" else schema
            enum = items.get("enum")
            values = value if isinstance(value, list) else [value]
            if enum:
                assert set(map(str, values)) <= set(map(str, enum)), (template, name, values)
            if name == "page_size":
                assert schema.get("minimum", 1) <= int(value) <= schema.get("maximum", 250)


def test_entity_status_and_match_type_tables_equal_the_spec(openapi_spec):
    schemas = openapi_spec["components"]["schemas"]
    assert tuple(schemas["EntityStatus"]["enum"]) == ENTITY_STATUSES
    assert set(schemas["MatchType"]["enum"]) == set(MATCH_TYPES)


def _properties(spec: dict, name: str) -> set[str]:
    out: set[str] = set()

    def walk(node):
        node = _deref(spec, node)
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key, []):
                walk(sub)
        out.update(node.get("properties", {}))

    walk(spec["components"]["schemas"][name])
    return out


@pytest.mark.parametrize("table, schema_name", [
    (AD_ACCOUNT, "AdAccount"), (CAMPAIGN, "CampaignResponse"), (AD_GROUP, "AdGroupResponse"),
    (AD, "AdResponse"), (KEYWORD, "Keyword"),
])
def test_frame_schemas_cover_every_response_field_and_invent_none(openapi_spec, table, schema_name):
    spec_fields = _properties(openapi_spec, schema_name)
    ours = table.api_fields
    missing = spec_fields - ours
    assert not missing, f"{table.entity} frames drop spec fields {sorted(missing)}"
    # fields we read that the response schema lacks must at least be request fields of the entity
    invented = ours - spec_fields - {"ad_account_id"}
    create_fields = set()
    for name in (f"{schema_name.replace('Response', '')}CreateRequest", "CampaignCreateCommon"):
        if name in openapi_spec["components"]["schemas"]:
            create_fields |= _properties(openapi_spec, name)
    assert invented <= create_fields, \
        f"{table.entity} frames read fields the spec never sends: {invented - create_fields}"
