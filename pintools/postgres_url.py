"""PostgreSQL connection strings: which text is one, and the same text with its password hidden
(for reprs, logs and errors). Shared by the lead store, the shared rate budget and the warehouse.

>>> is_postgres_url("postgres://db.example/ads"), is_postgres_url("ads.duckdb")
(True, False)
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(value: object) -> bool:
    """Whether ``value`` is a ``postgresql://`` (or ``postgres://``) URL.

    >>> is_postgres_url("postgresql://u@h/db"), is_postgres_url(None)
    (True, False)
    """
    return isinstance(value, str) and value.startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """``url`` (or a ``key=value`` conninfo string) with its password replaced by ``***``.

    >>> redact("postgresql://app:secret@db.example:5432/pintools?sslmode=require")
    'postgresql://app:***@db.example:5432/pintools?sslmode=require'
    >>> redact("host=db.example password='s e' dbname=pintools")
    'host=db.example password=*** dbname=pintools'
    """
    if url.startswith(URL_SCHEMES):
        try:
            parts = urlsplit(url)
            password = parts.password
        except ValueError:
            return "(an unreadable PostgreSQL URL)"
        if password is not None:
            user, _, host = parts.netloc.rpartition("@")
            parts = parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}")
        query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
        return urlunsplit(parts._replace(query=query))
    return re.sub(r"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
