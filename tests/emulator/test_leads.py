"""Lead ads: forms, question types, subscriptions, test leads and encrypted webhook delivery."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

LEAD_KEYS = ["advertiser_id", "lead_form_id", "ad_id", "campaign_id", "ad_group_id", "lead_id", "user_id",
             "lead_form_name", "campaign_name", "ad_group_name", "ad_name", "created_at", "answers", "version"]


class Receiver:
    """A loopback webhook receiver answering scripted statuses (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.bodies: list = []
        self.content_types: list = []
        self.answered: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.bodies.append(json.loads(data))
                receiver.content_types.append(self.headers.get("Content-Type"))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.answered.append(status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        r = Receiver(statuses)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def _decrypt(key: str, answers: dict) -> dict:
    raw = {k: base64.b64decode(v) for k, v in answers.items()}
    assert len(raw["nonce"]) == 16 and len(raw["tag"]) == 16
    key_bytes = base64.b64decode(key + "=" * (-len(key) % 4))
    plain = AESGCM(key_bytes).decrypt(raw["nonce"], raw["cipher_msg"] + raw["tag"], None)
    return json.loads(plain.decode("utf-8"))


def _account(api):
    return api.accounts()[0]["id"]


def _forms(api, acct):
    return api.get(f"/ad_accounts/{acct}/lead_forms").json()["items"]


def _subscribe(api, acct, url, lead_form_id=None):
    body = {"webhook_url": url}
    if lead_form_id:
        body["lead_form_id"] = lead_form_id
    r = api.post(f"/ad_accounts/{acct}/leads/subscriptions", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_lead_forms_shapes_order_paging_and_404(ro_api):
    for account in ro_api.accounts():
        forms = ro_api.all_pages(f"/ad_accounts/{account['id']}/lead_forms", {"page_size": 1})
        assert 2 <= len(forms) <= 3
        for form in forms:
            assert form["id"].isdigit() and form["ad_account_id"] == account["id"]
            assert form["status"] in ("ACTIVE", "DRAFT")
            assert form["created_time"] < 10**10 and form["updated_time"] >= form["created_time"]
            types = [q["question_type"] for q in form["questions"]]
            assert "EMAIL" in types and ("FULL_NAME" in types or {"FIRST_NAME", "LAST_NAME"} <= set(types))
            custom = [q for q in form["questions"] if q["question_type"] == "CUSTOM"]
            assert len(custom) == 1 and custom[0]["custom_question_label"]
    acct = _account(ro_api)
    up = [f["id"] for f in _forms(ro_api, acct)]
    down = [f["id"] for f in ro_api.get(f"/ad_accounts/{acct}/lead_forms", {"order": "DESCENDING"}).json()["items"]]
    assert down == list(reversed(up)) == sorted(down, key=int, reverse=True)
    assert ro_api.get(f"/ad_accounts/{acct}/lead_forms/{up[0]}").json()["id"] == up[0]
    missing = ro_api.get(f"/ad_accounts/{acct}/lead_forms/1")
    assert missing.status_code == 404 and missing.json() == {"code": 4842, "message": "Lead form is not found."}
    assert ro_api.get(f"/ad_accounts/{acct}/lead_forms", {"order": "UP"}).status_code == 400


def test_lead_form_questions_is_an_array_of_type_names(ro_api):
    body = ro_api.get("/resources/lead_form_questions").json()
    assert body[:2] == ["CUSTOM", "FULL_NAME"] and "DATE_OF_BIRTH" in body and len(body) == 15


def test_subscription_lifecycle(api):
    acct = _account(api)
    form_id = _forms(api, acct)[0]["id"]
    created = _subscribe(api, acct, "https://hooks.example.com/a")
    assert len(created["id"]) == 19 and created["id"].isdigit()
    key = created["cryptographic_key"]
    assert "=" not in key and len(key) == 43
    assert len(base64.b64decode(key + "=")) == 32
    assert created["cryptographic_algorithm"] == "AES-256-GCM" and created["created_time"] > 10**12
    dup = api.post(f"/ad_accounts/{acct}/leads/subscriptions", json={"webhook_url": "https://hooks.example.com/b"})
    assert dup.status_code == 400 and dup.json()["code"] == 1
    form_sub = _subscribe(api, acct, "https://hooks.example.com/b", form_id)
    base = f"/ad_accounts/{acct}/leads/subscriptions"
    listed = api.all_pages(base, {"page_size": 1})
    assert {s["id"] for s in listed} == {created["id"], form_sub["id"]}
    got = api.get(f"{base}/{form_sub['id']}").json()
    assert got["lead_form_id"] == form_id and got["api_version"] == "v5" and got["ad_account_id"] == acct
    deleted = api.session.delete(api.base + f"{base}/{created['id']}", headers=api._headers(None), timeout=30)
    assert deleted.status_code == 204 and deleted.content == b""
    gone = api.get(f"{base}/{created['id']}")
    assert gone.status_code == 404 and gone.json() == {"code": 4517, "message": "Subscription for given ids not found."}
    again = api.session.delete(api.base + f"{base}/{created['id']}", headers=api._headers(None), timeout=30)
    assert again.status_code == 404
    assert api.post(base, json={"lead_form_id": form_id}).status_code == 400


def test_test_lead_is_delivered_encrypted_to_the_form_subscription(api, server, receiver):
    acct = _account(api)
    form = _forms(api, acct)[0]
    account_hook, form_hook = receiver(), receiver()
    _subscribe(api, acct, account_hook.url)
    sub = _subscribe(api, acct, form_hook.url, form["id"])
    answers = []
    for q in form["questions"]:
        if q["question_type"] == "EMAIL":
            answers.append("jo.doe@example.com")
        elif q["custom_question_options"]:
            answers.append(q["custom_question_options"][1])
        else:
            answers.append(f"answer to {q['question_type']}")
    r = api.post(f"/ad_accounts/{acct}/lead_forms/{form['id']}/test", json={"answers": answers})
    assert r.status_code == 200 and r.json() == {"subscription_id": sub["id"]}
    log = server.control.wait_for_deliveries()
    assert [e["outcome"] for e in log] == ["delivered"] and log[0]["lead_ids"] == ["TEST_API"]
    assert account_hook.bodies == [] and len(form_hook.bodies) == 1
    (lead,) = form_hook.bodies[0]
    assert list(lead) == LEAD_KEYS
    assert lead["lead_id"] == "TEST_API" and lead["version"] == "v5" and lead["advertiser_id"] == acct
    assert lead["lead_form_id"] == form["id"] and lead["lead_form_name"] == form["name"]
    assert lead["created_at"].isdigit() and int(lead["created_at"]) > 10**12
    expected = {(q["custom_question_label"] if q["question_type"] == "CUSTOM" else q["question_type"]): a
                for q, a in zip(form["questions"], answers, strict=False)}
    assert _decrypt(sub["cryptographic_key"], lead["answers"]) == expected
    # an unknown form and answers that do not fit
    bad = api.post(f"/ad_accounts/{acct}/lead_forms/1/test", json={"answers": answers})
    assert bad.status_code == 404 and bad.json() == {"code": 4842, "message": "Lead not found."}
    short = api.post(f"/ad_accounts/{acct}/lead_forms/{form['id']}/test", json={"answers": answers[:2]})
    assert short.status_code == 400 and short.json() == {"code": 1, "message": "Invalid parameters."}


def test_account_level_subscription_gets_leads_of_any_form(api, server, receiver):
    acct = _account(api)
    form = _forms(api, acct)[-1]
    hook = receiver()
    sub = _subscribe(api, acct, hook.url)
    import random

    from pintools.emulator.models.lead_delivery import synthetic_answers
    answers = synthetic_answers(form["questions"], random.Random(3))
    r = api.post(f"/ad_accounts/{acct}/lead_forms/{form['id']}/test", json={"answers": answers})
    assert r.json() == {"subscription_id": sub["id"]}
    server.control.wait_for_deliveries()
    assert hook.bodies[0][0]["lead_form_id"] == form["id"]


def test_retries_on_503_then_succeeds_and_not_on_400(api, server, receiver):
    server.control.set_delivery_behaviour(max_attempts=4, backoff_seconds=0.01)
    acct = _account(api)
    flaky = receiver([503, 429, 200])
    sub = _subscribe(api, acct, flaky.url)
    server.control.fire_leads(sub["id"], 1)
    log = server.control.wait_for_deliveries()
    assert [(e["attempt"], e["status"], e["outcome"]) for e in log] == [
        (1, 503, "retrying"), (2, 429, "retrying"), (3, 200, "delivered")]
    assert len(flaky.bodies) == 3 and flaky.bodies[0] == flaky.bodies[2]

    server.control.reset()
    server.control.set_delivery_behaviour(max_attempts=4, backoff_seconds=0.01)
    rejecting = receiver([400])
    sub = _subscribe(api, acct, rejecting.url)
    server.control.fire_leads(sub["id"], 1)
    log = server.control.wait_for_deliveries()
    assert [(e["attempt"], e["status"], e["outcome"]) for e in log] == [(1, 400, "failed")]
    assert rejecting.answered == [400]

    server.control.reset()
    server.control.set_delivery_behaviour(max_attempts=2, backoff_seconds=0.01)
    down = receiver([500, 500, 500])
    sub = _subscribe(api, acct, down.url)
    server.control.fire_leads(sub["id"], 1)
    log = server.control.wait_for_deliveries()
    assert [e["outcome"] for e in log] == ["retrying", "failed"] and len(down.bodies) == 2


def test_what_the_guide_leaves_open_can_go_either_way(api, server, receiver):
    """Whether a retry re-encrypts, and the content type of a delivery, are switches."""
    acct = _account(api)
    server.control.set_delivery_behaviour(max_attempts=3, backoff_seconds=0.01)
    same = receiver([503])
    sub = _subscribe(api, acct, same.url)
    server.control.fire_leads(sub["id"], 1)
    server.control.wait_for_deliveries()
    assert same.bodies[0] == same.bodies[1] and same.content_types == ["application/json"] * 2

    server.control.reset()
    server.control.set_delivery_behaviour(max_attempts=3, backoff_seconds=0.01, reencrypt_retries=True,
                                          content_type="")
    resealed = receiver([503])
    sub = _subscribe(api, acct, resealed.url)
    server.control.fire_leads(sub["id"], 1)
    server.control.wait_for_deliveries()
    (first,), (second,) = resealed.bodies
    assert first["answers"]["nonce"] != second["answers"]["nonce"]  # sealed again...
    key = sub["cryptographic_key"]
    assert _decrypt(key, first["answers"]) == _decrypt(key, second["answers"])  # ...the same answers
    assert {k: v for k, v in first.items() if k != "answers"} == {k: v for k, v in second.items() if k != "answers"}
    assert resealed.content_types == [None, None]
    bad = server.control._call  # a header value cannot carry a line break
    with pytest.raises(Exception, match="content_type"):
        bad("POST", "/leads/behaviour", json={"content_type": "text/plain\r\nX-Evil: 1"})
    with pytest.raises(Exception, match="reencrypt_retries"):
        bad("POST", "/leads/behaviour", json={"reencrypt_retries": "yes"})


def test_fire_leads_delivers_n_unique_leads_in_batches(api, server, receiver):
    server.control.set_delivery_behaviour(batch_size=10)
    acct = _account(api)
    hook = receiver()
    sub = _subscribe(api, acct, hook.url)
    fired = server.control.fire_leads(sub["id"], 25)
    assert len(set(fired["lead_ids"])) == 25 and all(i.isdigit() for i in fired["lead_ids"])
    log = server.control.wait_for_deliveries()
    assert sorted(len(e["lead_ids"]) for e in log) == [5, 10, 10]
    leads = [lead for body in hook.bodies for lead in body]
    assert sorted(lead["lead_id"] for lead in leads) == sorted(fired["lead_ids"])
    for lead in leads:
        plain = _decrypt(sub["cryptographic_key"], lead["answers"])
        assert "@" in plain["EMAIL"] and all(isinstance(v, str) and v for v in plain.values())
    from pintools.emulator import EmulatorControlError

    with pytest.raises(EmulatorControlError, match="400"):
        server.control.fire_leads("123", 1)


def test_no_key_or_plaintext_in_request_log_or_delivery_log(api, server, receiver):
    acct = _account(api)
    form = _forms(api, acct)[0]
    hook = receiver()
    r = api.post(f"/ad_accounts/{acct}/leads/subscriptions",
                 json={"webhook_url": hook.url, "partner_access_token": "pina_partnerSECRET"})
    key = r.json()["cryptographic_key"]
    api.get(f"/ad_accounts/{acct}/leads/subscriptions")
    answers = ["Secret Person" if q["question_type"] != "EMAIL" else "secret.person@example.com"
               for q in form["questions"]]
    answers = [q["custom_question_options"][0] if q["custom_question_options"] else a
               for q, a in zip(form["questions"], answers, strict=False)]
    api.post(f"/ad_accounts/{acct}/lead_forms/{form['id']}/test", json={"answers": answers})
    deliveries = server.control.wait_for_deliveries()
    logged = json.dumps(server.control.requests()) + json.dumps(deliveries)
    assert key not in logged and "pina_partnerSECRET" not in logged
    assert "secret.person" not in logged
    assert hook.bodies and "secret.person" not in json.dumps(hook.bodies)
