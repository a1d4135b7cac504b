"""Lead webhook delivery (digest §14.3–14.4): the encrypted payload and a retrying sender.

A delivery POSTs a JSON **array** of leads to a subscription's ``webhook_url``. Each lead is
``{advertiser_id, lead_form_id, ad_id, campaign_id, ad_group_id, lead_id, user_id,
lead_form_name, campaign_name, ad_group_name, ad_name, created_at, answers, version}`` with
string ids, ``created_at`` = Unix ms as a string, ``version`` = ``"v5"`` and ``answers`` =
``{cipher_msg, nonce, tag}``: AES-256-GCM (no AAD, 16-byte random nonce, 16-byte tag) of the
UTF-8 JSON object of answers keyed by question type (custom questions by their label), each
part base64-encoded.

Retries: on 429 and 5xx (and connection errors) only, never on other 4xx; exponential backoff
``backoff_seconds * 2**(attempt-1)``, at most ``max_attempts`` attempts, one background thread
per batch. Every attempt is logged (status, attempt, lead ids) — never the key or plaintext.

Two things the guide does not say, so the emulator can do each plausible way (behaviour fields):
``reencrypt_retries`` (false: a retry resends the same bytes; true: each retry seals the answers
again under a fresh nonce) and ``content_type`` (the delivery's ``Content-Type``; default
``application/json``, ``""`` sends none).

Example:
    >>> key = "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54"
    >>> decrypt_answers(key, encrypt_answers(key, {"EMAIL": "a@b.co"}))
    {'EMAIL': 'a@b.co'}
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import threading
import time

import requests
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 16
TAG_BYTES = 16
DEFAULT_BEHAVIOUR = {"max_attempts": 5, "backoff_seconds": 0.05, "timeout_seconds": 5.0, "batch_size": 10,
                     "reencrypt_retries": False, "content_type": "application/json"}


def _key_bytes(key_b64: str) -> bytes:
    return base64.b64decode(key_b64 + "=" * (-len(key_b64) % 4))


def encrypt_answers(key_b64: str, answers: dict) -> dict:
    """``{cipher_msg, nonce, tag}`` (base64 each) of the answers object."""
    nonce = os.urandom(NONCE_BYTES)
    plaintext = json.dumps(answers, ensure_ascii=False).encode("utf-8")
    sealed = AESGCM(_key_bytes(key_b64)).encrypt(nonce, plaintext, None)
    b64 = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return {"cipher_msg": b64(sealed[:-TAG_BYTES]), "nonce": b64(nonce), "tag": b64(sealed[-TAG_BYTES:])}


def decrypt_answers(key_b64: str, answers: dict) -> dict:
    """The answers object of an encrypted ``answers`` (accepts padded or unpadded keys)."""
    raw = [base64.b64decode(answers[k]) for k in ("cipher_msg", "nonce", "tag")]
    return json.loads(AESGCM(_key_bytes(key_b64)).decrypt(raw[1], raw[0] + raw[2], None).decode("utf-8"))


_FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Ethan", "Priya", "Chloe", "Daniel", "Maya")
_LAST = ("Johnson", "Garcia", "Nguyen", "Patel", "Smith", "Rossi", "Martin", "Kim", "Walker", "Lopez")
_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")


def synthetic_answers(questions: list[dict], rng: random.Random) -> list[str]:
    """Realistic answers to a form's questions, in question order."""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    values = {
        "FULL_NAME": f"{first} {last}", "FIRST_NAME": first, "LAST_NAME": last,
        "EMAIL": f"{first.lower()}.{last.lower()}{rng.randrange(1, 99)}@{rng.choice(_DOMAINS)}",
        "PHONE_NUMBER": f"+1 {rng.randrange(200, 999)}-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        "ZIP_CODE": f"{rng.randrange(10000, 99999)}", "AGE": str(rng.randrange(21, 70)),
        "GENDER": rng.choice(("Female", "Male")), "CITY": "Portland", "COUNTRY": "US", "STATE_PROVINCE": "OR",
        "PREFERRED_CONTACT_METHOD": "Email", "ADDRESS": f"{rng.randrange(10, 999)} Alder St",
        "DATE_OF_BIRTH": f"{rng.randrange(1, 28)} January",
    }
    answers = []
    for q in questions:
        if q["question_type"] != "CUSTOM":
            answers.append(values.get(q["question_type"], ""))
        elif q.get("custom_question_options"):
            answers.append(rng.choice(q["custom_question_options"]))
        else:
            answers.append("Boutique interior studio, 4 designers.")
    return answers


def answers_problem(questions: list[dict], answers) -> str | None:
    """Why ``answers`` do not fit the form's questions (count, type, choice options), or None."""
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        return "answers must be an array of strings."
    if len(answers) != len(questions):
        return f"answers must hold {len(questions)} values, one per question, in question order."
    for question, answer in zip(questions, answers, strict=False):
        options = question.get("custom_question_options") or []
        if question.get("custom_question_field_type") == "RADIO_LIST" and options and answer not in options:
            return f"{answer!r} is not an option of {question.get('custom_question_label')!r}."
        if question["question_type"] == "EMAIL" and "@" not in answer:
            return "EMAIL must be an email address."
    return None


class Deliverer:
    """Sends lead batches in background threads with retries, and keeps the attempt log."""

    def __init__(self):
        self.behaviour = dict(DEFAULT_BEHAVIOUR)
        self._lock = threading.Lock()
        self._log: list[dict] = []
        self._batch_ids = itertools.count(1)
        self._in_flight = 0
        self._generation = 0

    def configure(self, **changes) -> dict:
        """Update ``max_attempts``/``backoff_seconds``/``timeout_seconds``/``batch_size``/
        ``reencrypt_retries``/``content_type``."""
        unknown = set(changes) - set(DEFAULT_BEHAVIOUR)
        if unknown:
            raise ValueError(f"unknown delivery behaviour fields: {sorted(unknown)}")
        for name, value in changes.items():
            if value is None:
                continue
            if name == "reencrypt_retries":
                if not isinstance(value, bool):
                    raise ValueError("reencrypt_retries must be true or false")
                self.behaviour[name] = value
                continue
            if name == "content_type":
                if not isinstance(value, str) or any(c in value for c in "\r\n"):
                    raise ValueError('content_type must be a header value (a string; "" sends no Content-Type)')
                self.behaviour[name] = value
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{name} must be a non-negative number")
            if name in ("max_attempts", "batch_size") and (int(value) != value or value < 1):
                raise ValueError(f"{name} must be a positive integer")
            self.behaviour[name] = int(value) if name in ("max_attempts", "batch_size") else float(value)
        return dict(self.behaviour)

    def reset(self) -> None:
        """Default behaviour, empty log; threads of earlier batches stop recording."""
        with self._lock:
            self.behaviour = dict(DEFAULT_BEHAVIOUR)
            self._log.clear()
            self._generation += 1
            self._in_flight = 0

    def log(self) -> list[dict]:
        """Every attempt so far, oldest first."""
        with self._lock:
            return [dict(e, lead_ids=list(e["lead_ids"])) for e in self._log]

    def in_flight(self) -> int:
        """Batches still being delivered."""
        with self._lock:
            return self._in_flight

    def deliver(self, subscription: dict, leads: list[dict]) -> list[int]:
        """Send ``leads`` in batches of ``batch_size``, each in its own thread; the batch ids."""
        size = self.behaviour["batch_size"]
        batch_ids = []
        for start in range(0, len(leads), size):
            batch = leads[start:start + size]
            with self._lock:
                batch_id = next(self._batch_ids)
                self._in_flight += 1
                generation = self._generation
            batch_ids.append(batch_id)
            meta = {"subscription_id": subscription["id"], "webhook_url": subscription["webhook_url"],
                    "batch_id": batch_id, "lead_ids": [lead["lead_id"] for lead in batch]}
            thread = threading.Thread(target=self._run, args=(meta, batch, dict(self.behaviour), generation,
                                                              subscription["cryptographic_key"]),
                                      name=f"lead-delivery-{batch_id}", daemon=True)
            thread.start()
        return batch_ids

    def _run(self, meta: dict, batch: list[dict], behaviour: dict, generation: int, key_b64: str) -> None:
        body = json.dumps(batch, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": behaviour["content_type"]} if behaviour["content_type"] else {}
        try:
            for attempt in range(1, behaviour["max_attempts"] + 1):
                status, error = None, None
                if attempt > 1 and behaviour["reencrypt_retries"]:
                    resealed = [dict(lead, answers=encrypt_answers(key_b64, decrypt_answers(key_b64, lead["answers"])))
                                for lead in batch]
                    body = json.dumps(resealed, ensure_ascii=False).encode("utf-8")
                try:
                    response = requests.post(meta["webhook_url"], data=body, timeout=behaviour["timeout_seconds"],
                                             headers=headers)
                    status = response.status_code
                except requests.RequestException as exc:
                    error = type(exc).__name__
                retry = status is None or status == 429 or status >= 500
                last = attempt == behaviour["max_attempts"]
                outcome = ("delivered" if status is not None and status < 300 else
                           "retrying" if retry and not last else "failed")
                if status is not None and 300 <= status < 400:
                    outcome = "failed"
                self._record(generation, dict(meta, attempt=attempt, status=status, error=error,
                                              outcome=outcome, time=time.time()))
                if outcome != "retrying":
                    return
                time.sleep(behaviour["backoff_seconds"] * 2 ** (attempt - 1))
        finally:
            with self._lock:
                if generation == self._generation:
                    self._in_flight -= 1

    def _record(self, generation: int, entry: dict) -> None:
        with self._lock:
            if generation == self._generation:
                entry["seq"] = len(self._log) + 1
                self._log.append(entry)


def build_lead(context: dict, form: dict, key_b64: str, answers: list[str], lead_id: str, user_id: str,
               created_ms: int) -> dict:
    """One webhook lead object (answers encrypted under the subscription's key).

    ``context`` holds the ids and names of the ad the lead came from: ``advertiser_id``,
    ``campaign_id``, ``campaign_name``, ``ad_group_id``, ``ad_group_name``, ``ad_id``, ``ad_name``.
    """
    from pintools.emulator.models.leads import answer_key

    plaintext = {answer_key(q): a for q, a in zip(form["questions"], answers, strict=False)}
    return {
        "advertiser_id": context["advertiser_id"],
        "lead_form_id": form["id"],
        "ad_id": context["ad_id"],
        "campaign_id": context["campaign_id"],
        "ad_group_id": context["ad_group_id"],
        "lead_id": lead_id,
        "user_id": user_id,
        "lead_form_name": form["name"] or "",
        "campaign_name": context["campaign_name"],
        "ad_group_name": context["ad_group_name"],
        "ad_name": context["ad_name"],
        "created_at": str(int(created_ms)),
        "answers": encrypt_answers(key_b64, plaintext),
        "version": "v5",
    }
