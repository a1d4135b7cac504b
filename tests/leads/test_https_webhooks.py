"""Webhook URLs: Pinterest delivers leads over HTTPS ("Standard HTTPS webhook URL"), so the client
refuses a plain-http URL before sending anything, except a loopback receiver (local tests, demos)."""

import pytest

from pintools.api.leads import Leads
from tests.leads.test_api import FakeRequestor


@pytest.mark.parametrize("url", ["http://hooks.example.com/leads", "HTTP://hooks.example.com/leads",
                                 "http://10.0.0.5:8080/leads", "http://127.0.0.1.example.com/x",
                                 "ftp://hooks.example.com/leads", "hooks.example.com/leads", "https://"])
def test_a_url_pinterest_cannot_deliver_to_is_refused_before_sending(url):
    requestor = FakeRequestor({"id": "5"})
    with pytest.raises(ValueError, match="must be an https:// URL") as info:
        Leads(requestor).create_subscription("123", url)
    assert "reverse proxy or tunnel" in str(info.value)  # says how to fix it
    assert requestor.calls == []


@pytest.mark.parametrize("url", ["https://hooks.example.com/leads", "http://127.0.0.1:8080/leads",
                                 "http://localhost:9000/hook", "http://[::1]:8000/hook"])
def test_https_and_loopback_receivers_are_sent(url):
    requestor = FakeRequestor({"id": "5"})
    Leads(requestor).create_subscription("123", url)
    assert requestor.calls[0][4] == {"webhook_url": url}
