"""Pre-signed download links checked against the emulator clock (a stand-in for S3 links).

A link is ``<path>?expires=<unix>&sig=<hmac>``: the HMAC-SHA256 covers an object key and the
expiry, with a secret drawn once per signer. No auth header is needed to follow it, like S3
query-string authentication. :meth:`LinkSigner.check` gives the S3-style 403 answers: missing
expiry, bad signature, expired link. Report files and bulk files both use it.

Example:
    >>> from pintools.emulator.models.clock import Clock
    >>> clock = Clock(fixed=1_000)
    >>> signer = LinkSigner(clock)
    >>> url = signer.link("/_emulator/files/bulk/7/result.json", "7/result.json", ttl=300)
    >>> url.startswith("/_emulator/files/bulk/7/result.json?expires=1300&sig=")
    True
    >>> signer.check("7/result.json", 1300, signer.sign("7/result.json", 1300)) is None
    True
    >>> _ = clock.advance(301); signer.check("7/result.json", 1300, signer.sign("7/result.json", 1300))[0]
    403
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from urllib.parse import urlencode

from pintools.emulator.models.clock import Clock

XML = "application/xml"


def iso(ts: int) -> str:
    """Unix seconds as ``YYYY-MM-DDTHH:MM:SSZ``.

    Example:
        >>> iso(0)
        '1970-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def s3_error(code: str, message: str, **extra) -> bytes:
    """An S3-style XML error document.

    Example:
        >>> s3_error("AccessDenied", "Request has expired").startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        True
    """
    parts = "".join(f"<{k}>{v}</{k}>" for k, v in extra.items())
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f"{parts}<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>")
    return text.encode("utf-8")


def no_such_key(key: str) -> bytes:
    """The S3 404 body of a missing object.

    Example:
        >>> b"<Code>NoSuchKey</Code>" in no_such_key("a/b.txt")
        True
    """
    return s3_error("NoSuchKey", "The specified key does not exist.", Key=key)


class LinkSigner:
    """Signs and checks download links on one clock (the secret lives as long as the signer).

    Example:
        >>> LinkSigner(Clock(fixed=5)).link("/f/k", "k", ttl=10).split("?")[1].startswith("expires=15&sig=")
        True
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self._secret = secrets.token_bytes(32)

    def sign(self, key: str, expires: int) -> str:
        """The HMAC-SHA256 signature of ``key`` valid until ``expires``."""
        return hmac.new(self._secret, f"{key}:{int(expires)}".encode(), hashlib.sha256).hexdigest()

    def link(self, path: str, key: str, ttl: int) -> str:
        """``path`` plus ``expires`` (now + ``ttl``) and ``sig`` query parameters."""
        expires = self.clock.now() + int(ttl)
        return f"{path}?{urlencode({'expires': expires, 'sig': self.sign(key, expires)})}"

    def check(self, key: str, expires, sig) -> tuple[int, bytes] | None:
        """None when the link is good now; else ``(403, S3 XML body)``."""
        try:
            expires = int(expires)
        except (TypeError, ValueError):
            return 403, s3_error("AccessDenied", "Query-string authentication requires the expires parameter")
        if not isinstance(sig, str) or not hmac.compare_digest(sig, self.sign(key, expires)):
            return 403, s3_error("SignatureDoesNotMatch",
                                 "The request signature we calculated does not match the signature you provided.")
        now = self.clock.now()
        if now > expires:
            return 403, s3_error("AccessDenied", "Request has expired", Expires=iso(expires), ServerTime=iso(now))
        return None
