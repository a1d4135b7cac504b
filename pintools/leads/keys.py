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
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import user_path, write_private
from .crypto import KeyRing, new_key  # noqa: F401  (new_key is used by the docstring example)

if TYPE_CHECKING:
    from ..client import Client

log = logging.getLogger("pintools.leads")


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
        """The saved subscriptions (``[]`` when there is no file); :class:`ValueError` naming the file
        when it is not a key file (it is never overwritten then: it may hold keys)."""
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except ValueError as exc:
            raise ValueError(f"the lead key file {self.path} is not valid JSON ({exc}); restore it from a backup or "
                             "move it aside — pintools does not overwrite it, it may hold keys") from None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError(f"the lead key file {self.path} is not a JSON array of subscriptions; restore it from "
                             "a backup or move it aside — pintools does not overwrite it, it may hold keys")
        return entries

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
    keys = keys or KeyFile()
    keys.entries()  # an unreadable key file fails here, before a subscription whose key it could not keep
    created = dict(c.leads.create_subscription(ad_account_id, webhook_url, lead_form_id=lead_form_id))
    created.setdefault("ad_account_id", ad_account_id)
    created.setdefault("lead_form_id", lead_form_id)
    keys.save(created)
    created.pop("cryptographic_key", None)
    return created


class LiveKeys:
    """The keys of a :class:`KeyFile`, reloaded whenever the file changes (a ``subscribe()`` in a
    notebook, another process, an edit) — what a long-running receiver decrypts with.

    :meth:`reload_if_changed` is cheap (one ``stat``); it returns ``True`` when new keys were loaded.
    A file that cannot be read (half-written, invalid JSON) keeps the keys already loaded.

    >>> import tempfile, pathlib
    >>> live = LiveKeys(KeyFile(pathlib.Path(tempfile.mkdtemp()) / "keys.json"))
    >>> len(live.ring), live.reload_if_changed()
    (0, False)
    >>> live.keys.save({"id": "1", "ad_account_id": "2", "lead_form_id": None, "cryptographic_key": new_key()})
    >>> live.reload_if_changed(), len(live.ring)
    (True, 1)
    """

    def __init__(self, keys: KeyFile) -> None:
        self.keys = keys
        self._signature: tuple[int, int, int] | None = None
        self._ring = KeyRing()
        self._lock = threading.Lock()
        self.reload_if_changed()

    def __repr__(self) -> str:
        return f"LiveKeys({str(self.keys.path)!r}, {len(self._ring)} key(s))"

    @property
    def ring(self) -> KeyRing:
        """The keys as last loaded."""
        return self._ring

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.keys.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def reload_if_changed(self) -> bool:
        """Reload the keys if the file changed since they were loaded; whether it did."""
        with self._lock:
            signature = self._stat()
            if signature == self._signature:
                return False
            try:
                ring = self.keys.keyring()
            except (ValueError, OSError) as exc:  # mid-write or broken: keep the keys we have
                log.warning("key file %s could not be read (%s); keeping the %d key(s) loaded before",
                            self.keys.path, type(exc).__name__, len(self._ring))
                return False
            self._signature, self._ring = signature, ring
            log.info("key file %s loaded: %d key(s)", self.keys.path, len(ring))
            return True


class StaticKeys:
    """A fixed :class:`KeyRing` with the :class:`LiveKeys` interface (it never changes).

    >>> StaticKeys(KeyRing()).reload_if_changed()
    False
    """

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring

    def __repr__(self) -> str:
        return f"StaticKeys({len(self.ring)} key(s))"

    def reload_if_changed(self) -> bool:
        return False


def key_source(keys: KeyRing | KeyFile | LiveKeys | StaticKeys) -> LiveKeys | StaticKeys:
    """What a receiver decrypts with: a key file is followed as it changes, a key ring stays as given."""
    if isinstance(keys, (LiveKeys, StaticKeys)):
        return keys
    if isinstance(keys, KeyFile):
        return LiveKeys(keys)
    if isinstance(keys, KeyRing):
        return StaticKeys(keys)
    raise TypeError(f"keys must be a KeyFile (followed as it changes) or a KeyRing, got {type(keys).__name__}")
