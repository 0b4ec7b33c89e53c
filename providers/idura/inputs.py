"""Checks for values that reach Idura or Cognito: host names and redirect URLs (stdlib only).

Shared by the config loader and the external program, so both accept and refuse the same values.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def hostname_problem(value: str, *, allow_loopback_port: bool = False) -> str | None:
    """None for a DNS name such as ``acme.idura.broker`` (no scheme, path or port), else why not.

    With ``allow_loopback_port`` also ``localhost[:PORT]`` and ``127.0.0.1[:PORT]`` (a local emulator).
    """
    host, sep, port = value.partition(":")
    valid_port = not sep or (port.isdigit() and port.isascii() and 0 < int(port) < 65536)
    if allow_loopback_port and host in LOOPBACK_HOSTS and valid_port:
        return None
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return "not a valid host name"
    return None


def url_problem(value: str, *, allow_localhost_http: bool) -> str | None:
    """None for an absolute https URL without credentials or fragment (http only for localhost if allowed)."""
    if any(c.isspace() or not c.isprintable() for c in value):
        return "it contains whitespace or control characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "it is not a valid URL"
    if parts.scheme == "http":
        if not allow_localhost_http or parts.hostname not in LOOPBACK_HOSTS:
            return "plain http is not allowed"
    elif parts.scheme != "https":
        return f"the scheme {parts.scheme or '(none)'!r} is not https"
    if not parts.hostname:
        return "it has no host"
    if parts.username or parts.password or "@" in parts.netloc:
        return "it carries credentials"
    if parts.fragment or value.endswith("#"):
        return "it has a fragment (#...), which OAuth redirect URLs must not have"
    return None
