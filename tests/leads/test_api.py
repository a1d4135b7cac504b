import pytest

from pintools.api.leads import Leads
from pintools.http.requestor import ApiResponse


class FakeRequestor:
    def __init__(self, data=None):
        self.calls = []
        self.data = data if data is not None else {}

    def request(self, method, path, *, category, params=None, json_body=None, **kw):
        self.calls.append((method, path, category, params, json_body))
        return ApiResponse(status=200, data=self.data, headers={})

    def paginate(self, path, *, category, params=None, page_size=250):
        self.calls.append(("PAGINATE", path, category, params, page_size))
        return iter([{"id": "1"}])


def test_paths_and_categories():
    r = FakeRequestor({"id": "5"})
    leads = Leads(r)
    leads.create_subscription("123", "https://example.com/hook")
    leads.create_subscription(123, "https://example.com/hook", lead_form_id="456")
    list(leads.subscriptions("123"))
    leads.subscription("123", "5")
    leads.delete_subscription("123", "5")
    list(leads.lead_forms("123"))
    leads.lead_form("123", "456")
    leads.lead_form_questions()
    leads.create_test_lead("123", "456", ["John", "Doe"])
    assert r.calls == [
        ("POST", "/ad_accounts/123/leads/subscriptions", "ads_write", None, {"webhook_url": "https://example.com/hook"}),
        ("POST", "/ad_accounts/123/leads/subscriptions", "ads_write", None,
         {"webhook_url": "https://example.com/hook", "lead_form_id": "456"}),
        ("PAGINATE", "/ad_accounts/123/leads/subscriptions", "ads_read", None, 250),
        ("GET", "/ad_accounts/123/leads/subscriptions/5", "ads_read", None, None),
        ("DELETE", "/ad_accounts/123/leads/subscriptions/5", "ads_write", None, None),
        ("PAGINATE", "/ad_accounts/123/lead_forms", "ads_read", None, 250),
        ("GET", "/ad_accounts/123/lead_forms/456", "ads_read", None, None),
        ("GET", "/resources/lead_form_questions", "ads_read", None, None),
        ("POST", "/ad_accounts/123/lead_forms/456/test", "ads_write", None, {"answers": ["John", "Doe"]}),
    ]
    assert repr(leads) == "Leads()"


@pytest.mark.parametrize("call,match", [
    (lambda s: s.create_subscription("abc", "https://x"), "ad_account_id"),
    (lambda s: s.create_subscription("1", "ftp://x"), "https://"),
    (lambda s: s.create_subscription("1", "https://x", lead_form_id=1.5), "lead_form_id"),
    (lambda s: s.subscription("1", "x"), "subscription_id"),
    (lambda s: s.create_test_lead("1", "2", "John"), "list of strings"),
    (lambda s: s.create_test_lead("1", "2", []), "1 to 10"),
    (lambda s: s.create_test_lead("1", "2", ["a", 3]), "strings"),
])
def test_arguments_checked_before_any_call(call, match):
    r = FakeRequestor()
    with pytest.raises(ValueError, match=match):
        call(Leads(r))
    assert r.calls == []
