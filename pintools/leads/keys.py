"""Where lead subscription keys live: a JSON file written with 0600 permissions, never printed.

``$PINTOOLS_LEAD_KEYS``, else ``$XDG_CONFIG_HOME/pintools/lead_keys.json``, else
``~/.config/pintools/lead_keys.json``. One entry per subscription: its id, ad account, lead form
(or null for an account-level subscription) and ``cryptographic_key``.

>>> import tempfile, pathlib
>>> keys = KeyFile(pathlib.Path(tempfile.mkdtemp()) / "keys.json")
>>> keys.save({"id": "8078432025948590686", "ad_account_id": "549755885175", "lead_form_id": None,
...            "cryptographic_key": new_key()})
>>> len(keys.keyring()), oct(keys.path.stat().st_mode & 0o777)
(1, '0o600')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import user_path, write_private
from .crypto import KeyRing, new_key  # noqa: F401  (new_key is used by the docstring example)

if TYPE_CHECKING:
    from ..client import Client


def default_keys_path() -> Path:
    """The default key file (see the module docstring)."""
    return user_path("PINTOOLS_LEAD_KEYS", "config", "lead_keys.json")


class KeyFile:
    """The subscription keys on disk."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_keys_path()

    def __repr__(self) -> str:
        return f"KeyFile({str(self.path)!r}, {len(self.entries())} subscription(s))"

    def entries(self) -> list[dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []

    def save(self, subscription: Mapping[str, Any]) -> None:
        """Add or replace a subscription's key (from the create-subscription answer)."""
        if not subscription.get("cryptographic_key"):
            raise ValueError("the subscription has no cryptographic_key to keep")
        entry = {k: subscription.get(k) for k in ("id", "ad_account_id", "lead_form_id", "cryptographic_key")}
        entries = [e for e in self.entries() if e.get("id") != entry["id"]] + [entry]
        self._write(entries)

    def remove(self, subscription_id: str) -> None:
        self._write([e for e in self.entries() if e.get("id") != subscription_id])

    def keyring(self) -> KeyRing:
        """A :class:`KeyRing` with every saved key."""
        ring = KeyRing()
        for entry in self.entries():
            ring.add_subscription(entry)
        return ring

    def _write(self, entries: list[dict]) -> None:
        write_private(self.path, json.dumps(entries, indent=1))


def subscribe(ad_account_id: str, webhook_url: str, *, lead_form_id: str | None = None,
              client: "Client | None" = None, keys: KeyFile | None = None) -> dict:
    """Create a lead subscription, keep its key in the key file, and return the subscription
    without the key.

    >>> subscribe("549755885175", "https://leads.example.com/pinterest/leads")   # doctest: +SKIP
    {'id': '8078432025948590686', 'cryptographic_algorithm': 'AES-256-GCM', ...}
    """
    from ..client import default_client

    c = client or default_client()
    created = dict(c.leads.create_subscription(ad_account_id, webhook_url, lead_form_id=lead_form_id))
    created.setdefault("ad_account_id", ad_account_id)
    created.setdefault("lead_form_id", lead_form_id)
    (keys or KeyFile()).save(created)
    created.pop("cryptographic_key", None)
    return created
