"""Lead ads: demo lead forms per ad account and webhook subscriptions (digest §14.1–14.2).

Lead forms are generated from the seed (2–3 per accessible demo account, ids like
``7765300871171``, times in seconds). Subscriptions are created through the API: one per
(ad account, lead form | null); each gets a 19-digit id and a fresh 32-byte AES-256-GCM key,
returned as base64 **without** ``=`` padding (as the spec's example key). Keys are secrets:
nothing here logs them.

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> forms = LeadForms(seed=1, account_ids=["549755885175"], clock_now=1700000000)
    >>> 2 <= len(forms.for_account("549755885175")) <= 3
    True
    >>> subs = Subscriptions(Clock(1700000000))
    >>> sub = subs.create("549755885175", "https://hooks.example.com/x", None, "1")
    >>> len(sub["id"]), len(sub["cryptographic_key"]), sub["created_time"]
    (19, 43, 1700000000000)
"""

from __future__ import annotations

import base64
import os
import random
import secrets
from urllib.parse import urlsplit

from pintools.emulator.errors import ApiError, QueryError
from pintools.emulator.models.paging import page

LEAD_FORM_BASE = 7_765_300_000_000
ALGORITHM = "AES-256-GCM"
FORM_NOT_FOUND = (4842, "Lead form is not found.")
SUBSCRIPTION_NOT_FOUND = (4517, "Subscription for given ids not found.")
INVALID_CODE = 1

# LeadFormQuestionType names, in the spec's order. ``lead_form_questions/get`` answers this
# list as a JSON array: the 5.12.0 spec gives that 200 no schema, so the shape is an
# emulator choice (digest §17 #17).
QUESTION_TYPES = ("CUSTOM", "FULL_NAME", "FIRST_NAME", "LAST_NAME", "EMAIL", "PHONE_NUMBER", "ZIP_CODE", "AGE",
                  "GENDER", "CITY", "COUNTRY", "PREFERRED_CONTACT_METHOD", "STATE_PROVINCE", "ADDRESS",
                  "DATE_OF_BIRTH")

_FORM_TEMPLATES = (
    ("Free Design Consultation", True, ("FULL_NAME", "EMAIL", "PHONE_NUMBER", "ZIP_CODE"),
     ("Which room are you planning?", "RADIO_LIST", ["Living room", "Bedroom", "Kitchen", "Outdoor"])),
    ("Spring Catalog Request", False, ("FIRST_NAME", "LAST_NAME", "EMAIL", "ZIP_CODE"),
     ("What are you shopping for?", "CHECKBOX", ["Sofas", "Rugs", "Lighting", "Bedding"])),
    ("Newsletter Sign-up – 10% Off", True, ("FIRST_NAME", "LAST_NAME", "EMAIL", "PHONE_NUMBER"),
     ("How did you hear about us?", "RADIO_LIST", ["Pinterest", "A friend", "In store", "Other"])),
    ("Trade Program Application", False, ("FULL_NAME", "EMAIL", "PHONE_NUMBER", "ZIP_CODE"),
     ("Tell us about your business", "TEXT_AREA", [])),
)


def _question(question_type: str) -> dict:
    return {"question_type": question_type, "custom_question_field_type": None, "custom_question_label": None,
            "custom_question_options": []}


def answer_key(question: dict) -> str:
    """The key of a question's answer in a decrypted lead: its type, or its label when CUSTOM.

    Example:
        >>> answer_key({"question_type": "CUSTOM", "custom_question_label": "Budget?"})
        'Budget?'
    """
    if question["question_type"] == "CUSTOM":
        return question.get("custom_question_label") or "Custom question"
    return question["question_type"]


class LeadForms:
    """Read-only demo lead forms, rendered as ``LeadFormResponse``."""

    def __init__(self, seed: int, account_ids: list[str], clock_now: int):
        rng = random.Random(f"lead-forms:{seed}")
        self.forms: dict[str, dict] = {}
        self._by_account: dict[str, list[str]] = {}
        next_id = LEAD_FORM_BASE + rng.randrange(0, 90_000)
        for account_id in account_ids:
            count = rng.choice((2, 3))
            start = rng.randrange(len(_FORM_TEMPLATES))
            for slot in range(count):
                name, active, types, custom = _FORM_TEMPLATES[(start + slot) % len(_FORM_TEMPLATES)]
                next_id += rng.randrange(1, 400)
                created = clock_now - rng.randrange(30, 300) * 86_400
                label, field_type, options = custom
                questions = [_question(t) for t in types]
                questions.append({"question_type": "CUSTOM", "custom_question_field_type": field_type,
                                  "custom_question_label": label, "custom_question_options": list(options)})
                form = {
                    "name": name,
                    "privacy_policy_link": "https://www.example.com/privacy-policy",
                    "has_accepted_terms": True,
                    "completion_message": "Thank you for submitting. We will contact you soon.",
                    "status": "ACTIVE" if active else "DRAFT",
                    "disclosure_language": "By entering your personal information, you agree that your data "
                                           "will be collected and used.",
                    "questions": questions,
                    "id": str(next_id),
                    "ad_account_id": account_id,
                    "created_time": created,
                    "updated_time": created + rng.randrange(1, 20) * 86_400,
                }
                self.forms[form["id"]] = form
                self._by_account.setdefault(account_id, []).append(form["id"])

    def for_account(self, account_id: str) -> list[dict]:
        """The account's forms, oldest id first."""
        return [self.forms[i] for i in self._by_account.get(account_id, ())]

    def list(self, account_id: str, page_size: int, bookmark: str | None, descending: bool):
        """One page of ``LeadFormResponse`` and the next bookmark."""
        return page(self.for_account(account_id), page_size, bookmark, {"lead_forms": account_id},
                    descending=descending, render=dict)

    def get(self, account_id: str, lead_form_id: str, not_found=FORM_NOT_FOUND) -> dict:
        """One form; 404 (code 4842) when the account has no such form."""
        form = self.forms.get(lead_form_id)
        if form is None or form["ad_account_id"] != account_id:
            raise ApiError(404, *not_found)
        return form


def new_key() -> str:
    """A fresh AES-256 key: base64 of 32 random bytes, ``=`` padding stripped (43 characters).

    Example:
        >>> len(base64.b64decode(new_key() + "="))
        32
    """
    return base64.b64encode(os.urandom(32)).decode("ascii").rstrip("=")


class Subscriptions:
    """Lead webhook subscriptions, rendered as ``AdAccountGetSubscriptionResponse``."""

    def __init__(self, clock):
        self.clock = clock
        self.items: dict[str, dict] = {}

    def create(self, account_id: str, webhook_url: str, lead_form_id: str | None, user_account_id: str) -> dict:
        """A new subscription → ``AdAccountCreateSubscriptionResponse``; 400 on a duplicate."""
        for sub in self.items.values():
            if sub["ad_account_id"] == account_id and sub["lead_form_id"] == lead_form_id:
                raise ApiError(400, INVALID_CODE, "A subscription already exists for this ad account and "
                                                  "lead form." if lead_form_id else
                                                  "A subscription already exists for this ad account.")
        sub_id = str(secrets.randbelow(9 * 10**18) + 10**18)
        while sub_id in self.items:
            sub_id = str(secrets.randbelow(9 * 10**18) + 10**18)
        record = {
            "lead_form_id": lead_form_id,
            "webhook_url": webhook_url,
            "id": sub_id,
            "user_account_id": user_account_id,
            "ad_account_id": account_id,
            "api_version": "v5",
            "cryptographic_key": new_key(),
            "cryptographic_algorithm": ALGORITHM,
            "created_time": int(self.clock.now()) * 1000,
        }
        self.items[sub_id] = record
        return {k: record[k] for k in ("id", "cryptographic_key", "cryptographic_algorithm", "created_time")}

    def list(self, account_id: str, page_size: int, bookmark: str | None):
        """One page of the account's subscriptions (by id) and the next bookmark."""
        mine = [s for s in self.items.values() if s["ad_account_id"] == account_id]
        return page(mine, page_size, bookmark, {"subscriptions": account_id}, render=dict)

    def get(self, account_id: str, subscription_id: str) -> dict:
        """One subscription; 404 code 4517 when the account has none with that id."""
        sub = self.items.get(subscription_id)
        if sub is None or sub["ad_account_id"] != account_id:
            raise ApiError(404, *SUBSCRIPTION_NOT_FOUND)
        return sub

    def find(self, subscription_id: str) -> dict | None:
        """A subscription by id alone (control plane)."""
        return self.items.get(subscription_id)

    def delete(self, account_id: str, subscription_id: str) -> None:
        """Remove one subscription (404 code 4517 when unknown)."""
        self.get(account_id, subscription_id)
        del self.items[subscription_id]

    def matching(self, account_id: str, lead_form_id: str) -> dict | None:
        """The subscription a lead of this form goes to: form-level first, else account-level."""
        fallback = None
        for sub in self.items.values():
            if sub["ad_account_id"] != account_id:
                continue
            if sub["lead_form_id"] == lead_form_id:
                return sub
            if sub["lead_form_id"] is None:
                fallback = sub
        return fallback


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _deliverable(url: str) -> bool:
    """Whether a webhook URL is one the emulator accepts: HTTPS ("Standard HTTPS webhook URL", and the
    Lead ads guide delivers over HTTPS), or plain http to a loopback receiver (the emulator's own
    allowance, so local demos and tests need no certificate).

    Example:
        >>> _deliverable("https://hooks.example.com/x"), _deliverable("http://hooks.example.com/x")
        (True, False)
        >>> _deliverable("http://127.0.0.1:8080/leads"), _deliverable("http://[::1]:80/"), _deliverable("ftp://x")
        (True, True, False)
    """
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return bool(host) and (scheme == "https" or (scheme == "http" and host in LOOPBACK_HOSTS))


def check_create_body(body) -> tuple[str, str | None]:
    """``(webhook_url, lead_form_id)`` of a create body; :class:`QueryError` when malformed."""
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    url = body.get("webhook_url")
    if not isinstance(url, str) or not _deliverable(url):
        raise QueryError("webhook_url must be an HTTPS URL.")
    form_id = body.get("lead_form_id")
    if form_id is not None and (not isinstance(form_id, str) or not form_id.isdigit()):
        raise QueryError("lead_form_id must be a numeric id.")
    return url, form_id
