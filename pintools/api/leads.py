"""Lead ads: webhook subscriptions, lead forms, and test leads.

>>> sub = client.leads.create_subscription("549755885175", "https://example.com/pinterest/leads")  # doctest: +SKIP
>>> keyring.add_subscription(sub)            # its cryptographic_key decrypts the deliveries  # doctest: +SKIP

Subscriptions carry the ``cryptographic_key`` on every read; the dicts returned here are the
API's own, so do not log them — put the key in a :class:`pintools.leads.KeyRing`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..http.requestor import Requestor
from ._common import check_id

MAX_QUESTIONS = 10


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _check_url(url: object) -> str:
    """The webhook URL, stripped; ValueError unless it is ``https://`` (or plain http to a loopback host).

    Pinterest's spec asks for a "Standard HTTPS webhook URL" and delivers leads over HTTPS. Plain
    ``http://`` is accepted only for ``127.0.0.1``, ``localhost`` and ``[::1]`` (a local receiver
    behind the emulator); that exception is pintools' rule for local demos and tests.

    Example:
        >>> _check_url(" https://hooks.example.com/leads ")
        'https://hooks.example.com/leads'
        >>> _check_url("http://hooks.example.com/leads")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: webhook_url must be an https:// URL: Pinterest delivers leads over HTTPS only. ...
    """
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"webhook_url must be a non-empty URL string, got {url!r}")
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    try:
        host = (parts.hostname or "").lower()
    except ValueError:
        host = ""
    if scheme == "https" and host:
        return text
    if scheme == "http" and host in LOOPBACK_HOSTS:
        return text
    raise ValueError(f"webhook_url must be an https:// URL: Pinterest delivers leads over HTTPS only. Got {text!r}; "
                     "serve the receiver behind TLS (for example a reverse proxy or tunnel with a certificate) and "
                     "pass its https:// address. Plain http:// is accepted only for 127.0.0.1, localhost and [::1] "
                     "(local tests against the emulator).")


class Leads:
    """``/ad_accounts/{id}/leads/subscriptions``, ``/ad_accounts/{id}/lead_forms``, ``/resources/lead_form_questions``."""

    def __init__(self, requestor: Requestor) -> None:
        self._r = requestor

    def __repr__(self) -> str:
        return "Leads()"

    # -- subscriptions --------------------------------------------------------------------

    def create_subscription(self, ad_account_id: str, webhook_url: str, lead_form_id: str | None = None) -> dict:
        """Subscribe ``webhook_url`` to the account's leads (or one form's); returns ``{id, cryptographic_key, …}``."""
        account = check_id(ad_account_id, "ad_account_id")
        body: dict[str, Any] = {"webhook_url": _check_url(webhook_url)}
        if lead_form_id is not None:
            body["lead_form_id"] = check_id(lead_form_id, "lead_form_id")
        return self._r.request("POST", f"/ad_accounts/{account}/leads/subscriptions", category="ads_write",
                               json_body=body).data

    def subscriptions(self, ad_account_id: str, *, page_size: int = 250) -> Iterator[dict]:
        """The account's lead subscriptions (each with its ``cryptographic_key``)."""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.paginate(f"/ad_accounts/{account}/leads/subscriptions", category="ads_read",
                                page_size=page_size)

    def subscription(self, ad_account_id: str, subscription_id: str) -> dict:
        """One lead subscription."""
        account = check_id(ad_account_id, "ad_account_id")
        sub = check_id(subscription_id, "subscription_id")
        return self._r.request("GET", f"/ad_accounts/{account}/leads/subscriptions/{sub}",
                               category="ads_read").data

    def delete_subscription(self, ad_account_id: str, subscription_id: str) -> None:
        """Stop deliveries to a subscription (204, no body)."""
        account = check_id(ad_account_id, "ad_account_id")
        sub = check_id(subscription_id, "subscription_id")
        self._r.request("DELETE", f"/ad_accounts/{account}/leads/subscriptions/{sub}", category="ads_write")

    # -- lead forms -------------------------------------------------------------------------

    def lead_forms(self, ad_account_id: str, *, page_size: int = 250) -> Iterator[dict]:
        """The account's lead forms (only lead-ads-beta accounts have any)."""
        account = check_id(ad_account_id, "ad_account_id")
        return self._r.paginate(f"/ad_accounts/{account}/lead_forms", category="ads_read", page_size=page_size)

    def lead_form(self, ad_account_id: str, lead_form_id: str) -> dict:
        """One lead form, with its ``questions`` in creation order."""
        account = check_id(ad_account_id, "ad_account_id")
        form = check_id(lead_form_id, "lead_form_id")
        return self._r.request("GET", f"/ad_accounts/{account}/lead_forms/{form}", category="ads_read").data

    def lead_form_questions(self) -> Any:
        """The question types a lead form can ask (the spec gives this answer no schema)."""
        return self._r.request("GET", "/resources/lead_form_questions", category="ads_read").data

    def create_test_lead(self, ad_account_id: str, lead_form_id: str, answers: Sequence[str]) -> dict:
        """Have Pinterest deliver a test lead (``lead_id == "TEST_API"``) to the form's subscription.

        ``answers`` are strings in the order the form's questions were created. Returns ``{subscription_id}``.
        """
        account = check_id(ad_account_id, "ad_account_id")
        form = check_id(lead_form_id, "lead_form_id")
        if isinstance(answers, str) or not isinstance(answers, Sequence):
            raise ValueError("answers must be a list of strings, one per question in creation order")
        if not answers or len(answers) > MAX_QUESTIONS:
            raise ValueError(f"answers must hold 1 to {MAX_QUESTIONS} strings, got {len(answers)}")
        bad = [i for i, a in enumerate(answers) if not isinstance(a, str)]
        if bad:
            raise ValueError(f"answers must be strings; item(s) {bad} are not")
        return self._r.request("POST", f"/ad_accounts/{account}/lead_forms/{form}/test", category="ads_write",
                               json_body={"answers": list(answers)}).data
