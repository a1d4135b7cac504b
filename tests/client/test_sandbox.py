"""Pinterest's sandbox: a client that knows it talks to the sandbox never sends an operation the
sandbox disables (it takes the alternative or says why), and the emulator can act as the sandbox,
refusing those operations in each plausible shape."""

import pytest
import requests

import pintools as pt
from pintools.http import Requestor, StaticToken
from pintools.http.sandbox import SandboxUnavailable, disabled_operation
from pintools.plans import Guardrails

SHAPES = {"forbidden": (403, pt.PermissionDenied), "not_found": (404, pt.NotFound)}
NO_FLOORS = Guardrails(check_bid_floors=False)


ACCOUNT = {"name": "Sandbox Co", "currency": "USD", "country": "US", "campaigns": 3, "ad_groups_per_campaign": 2,
           "ads_per_ad_group": 1, "keywords_per_ad_group": 1, "statuses": "active",
           "objectives": ["CONSIDERATION"], "cbo": False}


@pytest.fixture
def sandbox_emu(fresh_emulator):
    """The emulator with one small account and every category unlimited (plans read a lot)."""
    fresh_emulator.control.reset(accounts=[ACCOUNT])
    for category in ("ads_read", "ads_write", "ads_analytics"):
        fresh_emulator.control.set_rate_limit(category, None)
    return fresh_emulator


def sandbox_client(emu):
    return pt.connect(emulator=emu, quiet=True, sandbox=True, retry=pt.RetryPolicy(backoff_base=0.01),
                      rate_limits={"ads_write": None, "ads_read": None, "universal": None})


def sent(emu, operation_id):
    return [r for r in emu.control.requests() if r["operation_id"] == operation_id]


def test_connect_knows_the_sandbox_from_the_base_url():
    assert pt.connect("tok", base_url="sandbox", emulator=False).sandbox is True
    assert pt.connect("tok", base_url="production", emulator=False).sandbox is False
    assert pt.connect("tok", base_url="http://127.0.0.1:1/v5", emulator=False, sandbox=True).sandbox is True


def test_a_sandbox_requestor_refuses_a_disabled_operation_before_sending():
    class NoNetwork(requests.Session):
        def request(self, *args, **kwargs):
            raise AssertionError("nothing may be sent")

    r = Requestor("https://api-sandbox.pinterest.com/v5", StaticToken("t"), session=NoNetwork(), sandbox=True)
    with pytest.raises(SandboxUnavailable) as err:
        r.request("POST", "/ad_accounts/549755885175/bulk/upsert", category="ads_write", json_body={})
    assert err.value.operation_id == "bulk_upsert/create"
    assert "sandbox" in str(err.value) and "method='patch'" in str(err.value)


def test_the_table_tells_disabled_from_enabled_operations_by_method_and_path():
    assert disabled_operation("GET", "/ad_accounts/1/leads/subscriptions") == "ad_accounts_subscriptions/get_list"
    assert disabled_operation("POST", "/ad_accounts/1/leads/subscriptions") is None  # create is enabled
    assert disabled_operation("GET", "/ad_accounts/1/campaigns/analytics") is None
    assert disabled_operation("POST", "/ad_accounts/1/reports") == "analytics/create_report"


@pytest.mark.parametrize("shape", SHAPES)
def test_the_emulator_as_sandbox_refuses_disabled_operations_in_pinterest_error_shape(sandbox_emu, shape):
    sandbox_emu.control.set_sandbox(True, shape)
    plain = pt.connect(emulator=sandbox_emu, quiet=True)  # a client that does not know
    account = plain.ad_accounts.list().__next__()["id"]
    status, error = SHAPES[shape]
    with pytest.raises(error) as err:
        plain.bulk.upsert(account, {"update": {"campaigns": [{"id": "1", "name": "x"}]}})
    assert err.value.status == status and isinstance(err.value.code, int)
    assert list(plain.campaigns.list(account))  # enabled operations are served
    sandbox_emu.control.set_sandbox(False)
    assert sandbox_emu.control.requests(operation_id="bulk_upsert/create")[-1]["status"] == status


@pytest.mark.parametrize("shape", SHAPES)
def test_in_the_sandbox_a_plan_applies_with_patch_and_says_so(sandbox_emu, shape):
    sandbox_emu.control.set_sandbox(True, shape)
    c = sandbox_client(sandbox_emu)
    account = pt.read_ad_accounts(client=c).id[0]
    campaigns = pt.read_campaigns(account, client=c).head(2)
    plan = pt.plans.set_status(campaigns, "PAUSED").validate(c, NO_FLOORS)
    applied = plan.apply(c, progress=False, journal=False)
    assert (applied.changes["result"] == "applied").all()
    assert any("not bulk upsert" in n and "sandbox" in n for n in applied.settings["notes"])
    assert sent(sandbox_emu, "bulk_upsert/create") == []
    assert sent(sandbox_emu, "campaigns/update")


def test_in_the_sandbox_an_explicit_bulk_apply_is_refused_before_anything_is_sent(sandbox_emu):
    c = sandbox_client(sandbox_emu)
    account = pt.read_ad_accounts(client=c).id[0]
    plan = pt.plans.set_status(pt.read_campaigns(account, client=c).head(1), "PAUSED").validate(c, NO_FLOORS)
    sandbox_emu.control.clear_requests()
    with pytest.raises(SandboxUnavailable, match="sandbox"):
        plan.apply(c, method="bulk", progress=False, journal=False)
    assert sandbox_emu.control.requests() == []


@pytest.mark.parametrize("shape", SHAPES)
def test_in_the_sandbox_analytics_use_sync_only_and_refuse_a_range_that_needs_reports(sandbox_emu, shape):
    sandbox_emu.control.set_sandbox(True, shape)
    c = sandbox_client(sandbox_emu)
    account = pt.read_ad_accounts(client=c).id[0]
    today = c.today()
    recent = pt.read_analytics(account, today.replace(day=1) if today.day > 1 else today, today, client=c,
                               progress=False)
    assert len(recent) > 0
    with pytest.raises(SandboxUnavailable) as err:
        pt.read_analytics(account, "2026-01-01", "2026-01-31", client=c, progress=False)
    assert "sandbox" in str(err.value) and "start on or after" in str(err.value)
    assert sent(sandbox_emu, "analytics/create_report") == []


@pytest.mark.parametrize("call", ["events", "audience_insights", "subscriptions"])
def test_in_the_sandbox_other_disabled_operations_fail_clearly_without_sending(sandbox_emu, call):
    sandbox_emu.control.set_sandbox(True, "forbidden")
    c = sandbox_client(sandbox_emu)
    account = pt.read_ad_accounts(client=c).id[0]
    sandbox_emu.control.clear_requests()
    with pytest.raises(SandboxUnavailable, match="disabled in Pinterest's sandbox"):
        if call == "events":
            c.conversions.send(account, [{"event_name": "checkout"}])
        elif call == "audience_insights":
            pt.read_audience_insights(account, client=c)
        else:
            list(c.leads.subscriptions(account))
    assert sandbox_emu.control.requests() == []


def test_a_sandbox_error_never_shows_the_token():
    r = Requestor("https://api-sandbox.pinterest.com/v5", StaticToken("secret-token-value"), sandbox=True)
    with pytest.raises(SandboxUnavailable) as err:
        r.request("POST", "/ad_accounts/1/events", category="ads_conversions")
    assert "secret-token-value" not in str(err.value) + repr(err.value)


def test_in_the_sandbox_send_conversions_raises_instead_of_marking_rows_not_sent(sandbox_emu):
    import pandas as pd

    c = sandbox_client(sandbox_emu)
    account = pt.read_ad_accounts(client=c).id[0]
    when = int(c.now().timestamp()) - 60
    frame = pd.DataFrame({"order_id": ["o-1", "o-2"], "email": ["a@example.com", "b@example.com"],
                          "total": [10.0, 12.0], "currency": "USD", "order_date": when})
    sandbox_emu.control.clear_requests()
    with pytest.raises(SandboxUnavailable, match="events/create is disabled in Pinterest's sandbox"):
        pt.send_conversions(frame, account, client=c, event_name="checkout", action_source="web", progress=False,
                            batch_size=1)
    assert sandbox_emu.control.requests() == []
