"""Pinterest Lead Ads, client side: decrypt answers, receive webhooks durably, read leads as frames.

In a notebook, a receiver in the background (what ``pintools leads serve`` runs in the foreground):

>>> from pintools.leads import KeyFile, LeadStore, start_receiver, subscribe            # doctest: +SKIP
>>> inbox = start_receiver(LeadStore("leads.sqlite3"), KeyFile("keys.json"))           # doctest: +SKIP
>>> subscribe(account, "https://leads.example.com/pinterest/leads", keys=KeyFile("keys.json"))  # doctest: +SKIP
"""

import importlib
from typing import Any

from .crypto import KeyRing, LeadDecryptionError, decrypt_answers, encrypt_answers, new_key
from .store import LeadStore, default_db_path

# loaded on first use: the receiver brings the web stack (Flask, waitress)
_LAZY = {"start_receiver": "pintools.leads.receiver", "KeyFile": "pintools.leads.keys",
         "subscribe": "pintools.leads.keys"}

__all__ = ["KeyFile", "KeyRing", "LeadDecryptionError", "LeadStore", "decrypt_answers", "default_db_path",
           "encrypt_answers", "new_key", "start_receiver", "subscribe"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pintools.leads' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
