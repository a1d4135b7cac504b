"""Pinterest Lead Ads, client side: decrypt answers, receive webhooks durably, read leads as frames.

>>> from pintools.leads import KeyRing, LeadStore, create_receiver   # doctest: +SKIP
"""

from .crypto import KeyRing, LeadDecryptionError, decrypt_answers, encrypt_answers, new_key
from .store import LeadStore, default_db_path

__all__ = ["KeyRing", "LeadDecryptionError", "LeadStore", "decrypt_answers", "default_db_path",
           "encrypt_answers", "new_key"]
