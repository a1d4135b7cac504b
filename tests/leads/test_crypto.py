import base64
import json
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pintools.leads import KeyRing, LeadDecryptionError, decrypt_answers, encrypt_answers, new_key

from .conftest import ANSWERS, GUIDE_KEY, SPEC_KEY, make_lead


@pytest.mark.parametrize("key", [GUIDE_KEY, GUIDE_KEY.rstrip("="), SPEC_KEY, SPEC_KEY + "=",
                                 base64.b64decode(GUIDE_KEY)])
def test_round_trip_padded_and_unpadded_keys(key):
    blob = encrypt_answers(ANSWERS, key)
    assert len(base64.b64decode(blob["nonce"])) == 16
    assert len(base64.b64decode(blob["tag"])) == 16
    assert decrypt_answers(blob, key) == ANSWERS


def test_decrypts_what_the_js_sample_would():
    """Encrypt independently with a 16-byte nonce, as Pinterest's sample does; decrypt with the text key."""
    nonce = base64.b64decode("1veT0xnuZVfMqlMK+BieVg==")
    sealed = AESGCM(base64.b64decode(GUIDE_KEY)).encrypt(nonce, json.dumps(ANSWERS).encode(), None)
    blob = {"cipher_msg": base64.b64encode(sealed[:-16]).decode(), "nonce": "1veT0xnuZVfMqlMK+BieVg==",
            "tag": base64.b64encode(sealed[-16:]).decode()}
    assert decrypt_answers(blob, GUIDE_KEY) == ANSWERS


def test_unicode_answers_survive():
    answers = {"FULL_NAME": "Zoë Ørsted 山田", "Wie heißt du?": "ß"}
    assert decrypt_answers(encrypt_answers(answers, SPEC_KEY), SPEC_KEY) == answers


def _flip(b64):
    raw = bytearray(base64.b64decode(b64))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("field", ["tag", "cipher_msg", "nonce"])
def test_tampering_fails_authentication(field):
    blob = encrypt_answers(ANSWERS, SPEC_KEY)
    blob[field] = _flip(blob[field])
    with pytest.raises(LeadDecryptionError, match="authentication failed"):
        decrypt_answers(blob, SPEC_KEY)


def test_wrong_key_fails_and_never_leaks():
    blob = encrypt_answers(ANSWERS, SPEC_KEY)
    with pytest.raises(LeadDecryptionError) as info:
        decrypt_answers(blob, GUIDE_KEY)
    text = str(info.value) + repr(info.value)
    assert GUIDE_KEY.rstrip("=") not in text and SPEC_KEY not in text and "abc@email.com" not in text


@pytest.mark.parametrize("mutate,match", [
    (lambda b: b.update(cipher_msg=b["cipher_msg"][:-3] + "!!!"), "not valid base64"),
    (lambda b: b.update(cipher_msg=b["cipher_msg"].rstrip("=")[:-1]
                        if len(b["cipher_msg"].rstrip("=")) % 4 == 2 else b["cipher_msg"].rstrip("=")[:-2]),
     "truncated"),
    (lambda b: b.update(tag=b["tag"][:10]), "tag is"),
    (lambda b: b.pop("nonce"), "lacks nonce"),
    (lambda b: b.update(nonce=""), "empty"),
])
def test_bad_base64_and_shapes(mutate, match):
    blob = encrypt_answers(ANSWERS, SPEC_KEY)
    mutate(blob)
    with pytest.raises(LeadDecryptionError, match=match):
        decrypt_answers(blob, SPEC_KEY)


def test_bad_keys():
    blob = encrypt_answers(ANSWERS, SPEC_KEY)
    with pytest.raises(LeadDecryptionError, match="needs 32"):
        decrypt_answers(blob, base64.b64encode(b"x" * 16).decode())
    with pytest.raises(LeadDecryptionError, match="truncated"):
        decrypt_answers(blob, SPEC_KEY[:41])


def _seal(plain: bytes, key=SPEC_KEY):
    nonce = os.urandom(16)
    sealed = AESGCM(base64.b64decode(key + "=")).encrypt(nonce, plain, None)
    e = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return {"cipher_msg": e(sealed[:-16]), "nonce": e(nonce), "tag": e(sealed[-16:])}


@pytest.mark.parametrize("plain,match", [(b"\xff\xfe not utf8", "not UTF-8"), (b"{not json", "not JSON"),
                                         (b'["a list"]', "not an object")])
def test_bad_plaintext(plain, match):
    with pytest.raises(LeadDecryptionError, match=match):
        decrypt_answers(_seal(plain), SPEC_KEY)


def test_keyring_picks_form_key_first_and_falls_back():
    account_key, form_key, other = new_key(), new_key(padded=True), new_key()
    ring = KeyRing()
    ring.add(other, subscription_id="9", ad_account_id="999")
    ring.add(account_key, subscription_id="1", ad_account_id="111764359001")
    ring.add(form_key, subscription_id="2", ad_account_id="111764359001", lead_form_id="65300871001")
    assert ring.decrypt(make_lead(form_key)) == ANSWERS
    order = [e.subscription_id for e in ring._ordered(make_lead(form_key))]
    assert order[:2] == ["2", "1"]
    # a lead of another form of the account, and one encrypted with an unrelated key: fallback
    assert ring.decrypt(make_lead(account_key, form="1")) == ANSWERS
    assert ring.decrypt(make_lead(other)) == ANSWERS
    with pytest.raises(LeadDecryptionError, match="all 3 key"):
        ring.decrypt(make_lead(new_key()))


def test_keyring_never_shows_keys():
    key = new_key()
    ring = KeyRing({"7": key})
    ring.add_subscription({"id": "8", "ad_account_id": "1", "lead_form_id": None, "cryptographic_key": GUIDE_KEY})
    text = repr(ring) + str(ring) + repr(ring._entries)
    assert key not in text and GUIDE_KEY.rstrip("=") not in text
    assert base64.b64decode(GUIDE_KEY).hex() not in text
    assert len(ring) == 2
    ring.remove("7")
    assert len(ring) == 1


def test_empty_keyring():
    with pytest.raises(LeadDecryptionError, match="no keys"):
        KeyRing().decrypt(make_lead())
