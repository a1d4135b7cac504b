"""Who may drive the emulator's control plane (``/_emulator/...``), and the warning a bind owes.

The control plane has no authentication (it resets data, injects faults, mints tokens), so three
rules, pintools' own (Pinterest has no such plane), keep web pages from driving it:

- JSON only: POST, PUT and PATCH must say ``Content-Type: application/json``, body-less ones too;
  a DELETE may carry no content type (browsers preflight every DELETE). A browser sends
  ``text/plain``, form and multipart bodies, and body-less POSTs, to any site without a CORS
  preflight; ``application/json`` needs one, which the emulator never grants. Else 415.
- loopback ``Host`` only (``localhost``, ``*.localhost``, ``127.0.0.0/8``, ``[::1]``, any port):
  a DNS-rebinding page names its own host. Else 403. A request without ``Host`` (no browser
  sends one) passes.
- no foreign ``Origin``: a request carrying one must come from a loopback origin. Else 403.

The ``/v5`` API and the signed ``/_emulator/files`` links are not guarded: they need a token or a
signature, serve demo data only, and must answer on whatever address a ``--host`` bind offers.

Example:
    >>> control_refusal("POST", "127.0.0.1:8765", None, "text/plain")[0]
    415
    >>> control_refusal("POST", "localhost:8765", None, "application/json") is None
    True
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

#: Methods that change the emulator's state and so must send JSON.
JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: Addresses meaning "every interface": the server is then reached on loopback as below.
WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]", "[::]": "[::1]"}


def is_loopback_name(hostname: str | None) -> bool:
    """Whether a host name (no port; IPv6 with or without brackets) always means this machine.

    Example:
        >>> [is_loopback_name(h) for h in ("localhost", "app.localhost", "127.0.0.2", "[::1]", "10.0.0.1")]
        [True, True, True, True, False]
    """
    if not hostname:
        return False
    name = hostname.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def is_loopback_host(host: str | None) -> bool:
    """Whether a ``Host`` header value (``name[:port]``) names this machine.

    Example:
        >>> is_loopback_host("[::1]:8765"), is_loopback_host("evil.example:8765")
        (True, False)
    """
    if not host:
        return False
    try:
        return is_loopback_name(urlsplit("//" + host.strip()).hostname)
    except ValueError:
        return False


def is_loopback_origin(origin: str | None) -> bool:
    """Whether an ``Origin`` header value is an http(s) origin on this machine (``null`` is not).

    Example:
        >>> is_loopback_origin("http://localhost:8888"), is_loopback_origin("https://evil.example")
        (True, False)
    """
    if not origin:
        return False
    try:
        parts = urlsplit(origin.strip())
        return parts.scheme in ("http", "https") and is_loopback_name(parts.hostname)
    except ValueError:
        return False


def control_refusal(method: str, host: str | None, origin: str | None, mimetype: str | None) -> tuple[int, str] | None:
    """``(status, message)`` refusing a control request, or None to serve it. ``host`` and
    ``origin`` are the headers (None when absent), ``mimetype`` the content type without parameters.

    Example:
        >>> control_refusal("GET", "evil.example", None, "")[0]
        403
        >>> control_refusal("DELETE", "127.0.0.1:8765", None, "") is None
        True
    """
    if host is not None and not is_loopback_host(host):
        return 403, (f"The emulator's control plane answers only requests whose Host is loopback (localhost, "
                     f"127.0.0.1, [::1], any port); this one names {host!r}. Call it on this machine as "
                     f"http://127.0.0.1:<port>/_emulator/... (pintools' rule, against DNS rebinding).")
    if origin is not None and not is_loopback_origin(origin):
        return 403, (f"The emulator's control plane refuses requests from web pages of other sites (Origin "
                     f"{origin!r}); drive it from Python (EmulatorControl) or a loopback page (pintools' rule).")
    method = method.upper()
    kind = (mimetype or "").lower()
    if kind == "application/json" or (method == "DELETE" and not kind) or method not in JSON_METHODS | {"DELETE"}:
        return None
    got = f"Content-Type {kind!r}" if kind else "no Content-Type"
    return 415, (f"The emulator's control plane takes JSON only: send 'Content-Type: application/json' with a "
                 f"JSON object body ('{{}}' when there is nothing to set); this {method} sent {got} "
                 f"(pintools' rule: a web page can send any other POST to any site without a CORS preflight).")


def local_host(host: str) -> str:
    """The host to reach a server bound to ``host`` from this machine (URL form: IPv6 in brackets).

    Example:
        >>> local_host("0.0.0.0"), local_host("::"), local_host("::1"), local_host("127.0.0.1")
        ('127.0.0.1', '[::1]', '[::1]', '127.0.0.1')
    """
    if host in WILDCARD_HOSTS:
        return WILDCARD_HOSTS[host]
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def exposure_warning(host: str, port: int) -> str | None:
    """The warning owed when the emulator binds ``host`` (not loopback: other machines may connect),
    or None for a loopback bind.

    Example:
        >>> exposure_warning("127.0.0.1", 8765) is None
        True
        >>> "reachable from the network" in exposure_warning("0.0.0.0", 8765)
        True
    """
    if is_loopback_name(host):
        return None
    if host in WILDCARD_HOSTS:
        how = f"use http://{local_host(host)}:{port}/_emulator/... on this machine"
    else:
        how = (f"call http://{local_host(host)}:{port}/_emulator/... with the header 'Host: localhost:{port}' "
               f"(EmulatorControl(url, host_header=...))")
    shown = local_host(host) if host not in WILDCARD_HOSTS else (host or "every interface")
    return (f"the emulator listens on {shown}:{port}, reachable from the network: its control plane /_emulator "
            f"(reset the data, inject faults, mint tokens, change behaviour; no authentication) is open to anyone "
            f"who can connect to this port. Its checks stop web pages (DNS rebinding, cross-site requests), "
            f"not a client that sends 'Host: localhost'. Control requests must name a loopback Host: {how}, "
            f"or through an SSH tunnel (ssh -L {port}:{local_host(host)}:{port}). Bind 127.0.0.1 (the default) unless other "
            f"machines need the API.")
