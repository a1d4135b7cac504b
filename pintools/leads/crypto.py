"""Decrypting (and, for tests and demos, encrypting) the ``answers`` of a Pinterest lead.

Pinterest encrypts each lead's answers with AES-256-GCM under the subscription's
``cryptographic_key`` (base64 of 32 bytes, sometimes without ``=`` padding). ``answers`` is
``{cipher_msg, nonce, tag}``, each base64; the nonce is 16 bytes in Pinterest's sample and
there is no associated data. The plaintext is a UTF-8 JSON object of strings.

>>> key = "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54"      # unpadded, as the spec shows it
>>> blob = encrypt_answers({"EMAIL": "abc@email.com"}, key)
>>> decrypt_answers(blob, key)
{'EMAIL': 'abc@email.com'}

Keys never appear in ``repr``/``str`` or in exception messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
TAG_BYTES = 16
NONCE_BYTES = 16  # what Pinterest's sample uses; any length from 8 bytes up is accepted on decrypt
MIN_NONCE_BYTES = 8


class LeadDecryptionError(ValueError):
    """The answers of a lead could not be decrypted (bad base64, wrong key, tampering, bad plaintext).

    The message names the field and the reason, never the key or any plaintext.
    """


def _b64decode(value: object, name: str) -> bytes:
    """Strict base64 (standard or URL-safe alphabet) with the ``=`` padding restored if missing."""
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            raise LeadDecryptionError(f"{name} is not base64 text") from None
    if not isinstance(value, str):
        raise LeadDecryptionError(f"{name} must be a base64 string, got {type(value).__name__}")
    text = "".join(value.split())
    if not text:
        raise LeadDecryptionError(f"{name} is empty")
    text = text.rstrip("=")
    if len(text) % 4 == 1:
        raise LeadDecryptionError(f"{name} is truncated or not base64 ({len(text)} base64 characters "
                                  f"cannot encode whole bytes)")
    text += "=" * (-len(text) % 4)
    altchars = b"-_" if ("-" in text or "_" in text) else None
    try:
        return base64.b64decode(text, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        raise LeadDecryptionError(f"{name} is not valid base64") from None


def _key_bytes(key: str | bytes, name: str = "key") -> bytes:
    """A 32-byte key from its base64 text (padded or not), or raw 32 bytes."""
    if isinstance(key, (bytes, bytearray)) and len(key) == KEY_BYTES:
        try:  # 32 bytes could also be a 32-character base64 text (24 bytes): decide by content
            text = bytes(key).decode("ascii")
        except UnicodeDecodeError:
            return bytes(key)
        decoded = None
        try:
            decoded = _b64decode(text, name)
        except LeadDecryptionError:
            pass
        if decoded is None or len(decoded) != KEY_BYTES:
            return bytes(key)
        return decoded
    raw = _b64decode(bytes(key) if isinstance(key, bytearray) else key, name)
    if len(raw) != KEY_BYTES:
        raise LeadDecryptionError(f"{name} decodes to {len(raw)} bytes; AES-256-GCM needs {KEY_BYTES}")
    return raw


def _fingerprint(raw: bytes) -> str:
    """A short, non-reversible label for a key (first 8 hex of its SHA-256), safe to log."""
    return hashlib.sha256(raw).hexdigest()[:8]


def key_fingerprint(key: str | bytes) -> str:
    """The safe-to-log fingerprint of a key (8 hex digits of its SHA-256)."""
    return _fingerprint(_key_bytes(key))


def _parts(answers: object) -> tuple[bytes, bytes, bytes]:
    if not isinstance(answers, Mapping):
        raise LeadDecryptionError(f"answers must be an object with cipher_msg, nonce and tag, "
                                  f"got {type(answers).__name__}")
    missing = [k for k in ("cipher_msg", "nonce", "tag") if k not in answers]
    if missing:
        raise LeadDecryptionError(f"answers lacks {', '.join(missing)}")
    cipher = _b64decode(answers["cipher_msg"], "answers.cipher_msg")
    nonce = _b64decode(answers["nonce"], "answers.nonce")
    tag = _b64decode(answers["tag"], "answers.tag")
    if len(nonce) < MIN_NONCE_BYTES:
        raise LeadDecryptionError(f"answers.nonce is {len(nonce)} bytes; expected {NONCE_BYTES} (at least "
                                  f"{MIN_NONCE_BYTES})")
    if len(tag) != TAG_BYTES:
        raise LeadDecryptionError(f"answers.tag is {len(tag)} bytes; AES-GCM tags are {TAG_BYTES}")
    return cipher, nonce, tag


def ciphertext_digest(answers: object) -> str:
    """A fingerprint of one encrypted ``answers`` object (SHA-256 of its decoded cipher text, nonce
    and tag), the same whatever base64 variant carried it. Two deliveries with the same digest carry
    the very same ciphertext: a retry, or a replay if they name different leads.

    >>> blob = encrypt_answers({"EMAIL": "a@b.co"}, new_key(), nonce=bytes(16))
    >>> ciphertext_digest(blob) == ciphertext_digest({k: v.rstrip("=") for k, v in blob.items()})
    True
    """
    digest = hashlib.sha256()
    for part in _parts(answers):
        digest.update(len(part).to_bytes(4, "big") + part)
    return digest.hexdigest()


def _decrypt_raw(parts: tuple[bytes, bytes, bytes], raw_key: bytes) -> dict:
    cipher, nonce, tag = parts
    try:
        plain = AESGCM(raw_key).decrypt(nonce, cipher + tag, None)
    except InvalidTag:
        raise LeadDecryptionError("authentication failed: wrong key, or the answers were altered "
                                  "(cipher_msg, nonce or tag)") from None
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        raise LeadDecryptionError("decrypted answers are not UTF-8 text") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise LeadDecryptionError("decrypted answers are not JSON") from None
    if not isinstance(data, dict):
        raise LeadDecryptionError(f"decrypted answers are a JSON {type(data).__name__}, not an object")
    return data


def decrypt_answers(answers: Mapping[str, Any], key: str | bytes) -> dict:
    """The answers object of one lead, decrypted; :class:`LeadDecryptionError` on any failure.

    ``key`` is the subscription's ``cryptographic_key`` (base64, padding optional) or 32 raw bytes.
    """
    return _decrypt_raw(_parts(answers), _key_bytes(key))


def encrypt_answers(answers: Mapping[str, Any], key: str | bytes, *, nonce: bytes | None = None) -> dict:
    """``{cipher_msg, nonce, tag}`` as Pinterest would send them (for tests and demos)."""
    raw_key = _key_bytes(key)
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    plain = json.dumps(dict(answers), ensure_ascii=False).encode("utf-8")
    sealed = AESGCM(raw_key).encrypt(nonce, plain, None)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return {"cipher_msg": b64(sealed[:-TAG_BYTES]), "nonce": b64(nonce), "tag": b64(sealed[-TAG_BYTES:])}


def new_key(*, padded: bool = False) -> str:
    """A fresh random key in Pinterest's format (base64 of 32 bytes; unpadded like the spec's example)."""
    text = base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")
    return text if padded else text.rstrip("=")


class _Entry:
    __slots__ = ("raw", "subscription_id", "ad_account_id", "lead_form_id", "fingerprint")

    def __init__(self, raw: bytes, subscription_id: str | None, ad_account_id: str | None,
                 lead_form_id: str | None) -> None:
        self.raw = raw
        self.subscription_id = subscription_id
        self.ad_account_id = ad_account_id
        self.lead_form_id = lead_form_id
        self.fingerprint = _fingerprint(raw)

    def __repr__(self) -> str:
        return (f"<key {self.fingerprint} subscription={self.subscription_id} ad_account={self.ad_account_id} "
                f"lead_form={self.lead_form_id}>")


class KeyRing:
    """Several subscription keys alive at once; :meth:`decrypt` picks the right one.

    Each key may be tagged with its subscription id, ad account and lead form. For a lead, keys
    whose lead form matches come first, then keys of the lead's ad account (``advertiser_id``)
    without a form, then every other key. A key that fails authentication is simply skipped.

    >>> ring = KeyRing()
    >>> ring.add(new_key(), subscription_id="1", ad_account_id="549755885175")
    >>> ring                                                    # doctest: +ELLIPSIS
    KeyRing(1 key: [<key ... subscription=1 ad_account=549755885175 lead_form=None>])
    """

    def __init__(self, keys: Mapping[str, str | bytes] | None = None) -> None:
        """``keys`` optionally maps subscription id -> key."""
        self._entries: list[_Entry] = []
        for sub_id, key in (keys or {}).items():
            self.add(key, subscription_id=sub_id)

    def add(self, key: str | bytes, *, subscription_id: str | None = None, ad_account_id: str | None = None,
            lead_form_id: str | None = None) -> None:
        """Add one key (base64 text or 32 raw bytes); re-adding the same key updates its tags."""
        raw = _key_bytes(key)
        sid = None if subscription_id is None else str(subscription_id)
        acc = None if ad_account_id is None else str(ad_account_id)
        form = None if lead_form_id is None else str(lead_form_id)
        self._entries = [e for e in self._entries if e.raw != raw]
        self._entries.append(_Entry(raw, sid, acc, form))

    def add_subscription(self, subscription: Mapping[str, Any]) -> None:
        """Add the key of a subscription as the API returns it (create, get or list item)."""
        key = subscription.get("cryptographic_key")
        if not key:
            raise ValueError("the subscription has no cryptographic_key")
        self.add(key, subscription_id=subscription.get("id"), ad_account_id=subscription.get("ad_account_id"),
                 lead_form_id=subscription.get("lead_form_id"))

    def remove(self, subscription_id: str) -> None:
        """Forget the key(s) of one subscription."""
        self._entries = [e for e in self._entries if e.subscription_id != str(subscription_id)]

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        n = len(self._entries)
        return f"KeyRing({n} key{'s' if n != 1 else ''}: {self._entries!r})"

    __str__ = __repr__

    def _ordered(self, lead: Mapping[str, Any]) -> Iterator[_Entry]:
        form = lead.get("lead_form_id")
        account = lead.get("advertiser_id") or lead.get("ad_account_id")
        form = None if form is None else str(form)
        account = None if account is None else str(account)

        def rank(e: _Entry) -> int:
            if form is not None and e.lead_form_id == form:
                return 0
            if account is not None and e.ad_account_id == account and e.lead_form_id is None:
                return 1
            if account is not None and e.ad_account_id == account:
                return 2
            return 3
        return iter(sorted(self._entries, key=rank))

    def open(self, lead: Mapping[str, Any]) -> tuple[dict, str | None]:
        """``(answers, subscription_id)``: the decrypted answers of ``lead`` and the subscription
        whose key opened them — the one authenticated fact about where a lead comes from (the
        lead's other fields are not covered by the tag). :class:`LeadDecryptionError` if no key fits.

        >>> ring = KeyRing({"8078432025948590686": "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54"})
        >>> blob = encrypt_answers({"EMAIL": "a@b.co"}, "ucvxbV2Tdss0vNeYsdh4Qfa/1Khm2b0PqXvXeTTZh54")
        >>> ring.open({"lead_id": "1", "answers": blob})
        ({'EMAIL': 'a@b.co'}, '8078432025948590686')
        """
        if not self._entries:
            raise LeadDecryptionError("no keys in the key ring")
        parts = _parts(lead.get("answers"))
        for entry in self._ordered(lead):
            try:
                return _decrypt_raw(parts, entry.raw), entry.subscription_id
            except LeadDecryptionError as exc:
                if not str(exc).startswith("authentication failed"):
                    raise  # the key fitted; the plaintext is bad — another key will not help
        raise LeadDecryptionError(f"authentication failed with all {len(self._entries)} key(s): "
                                  f"no key fits, or the answers were altered")

    def decrypt(self, lead: Mapping[str, Any]) -> dict:
        """Decrypted answers of ``lead`` (a webhook lead object); :class:`LeadDecryptionError` if no key fits."""
        return self.open(lead)[0]
