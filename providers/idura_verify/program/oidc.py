"""Idura Verify OIDC endpoint URLs, including the eID-pinned ``<BASE64(acr)>`` variants.

Cognito cannot forward ``acr_values`` to an OIDC provider, so Idura offers per-eID endpoints whose first path
segment is the acr value in standard base64 (``+/`` alphabet, ``=`` padding) of its UTF-8 bytes.
"""

from __future__ import annotations

import base64

__all__ = [
    "USERINFO_STRATEGY",
    "USERINFO_STRATEGIES",
    "acr_path_segment",
    "issuer",
    "authorize_url",
    "token_url",
    "userinfo_url",
    "jwks_url",
    "discovery_url",
]

#: The application's user info response strategy Cognito needs: it reads userinfo as a JSON object. With any
#: other Cognito fails with "invalid token_type in idp oauth response" (Idura's documented fix: plainJson).
#: Where Cognito receives an OIDC identity provider's answer: every redirect URL registered at Idura is
#: ``https://<cognito host>`` + this path (config model, rule table, program, module validation).
COGNITO_REDIRECT_PATH = "/oauth2/idpresponse"
USERINFO_STRATEGY = "plainJson"
#: Every strategy an Idura application can have.
USERINFO_STRATEGIES = ("plainJson", "signedJwt", "signedAndEncryptedJwt", "fromTokenEndpoint")


def acr_path_segment(acr: str) -> str:
    """``urn:grn:authn:no:bankid`` -> ``dXJuOmdybjphdXRobjpubzpiYW5raWQ=``."""
    return base64.b64encode(acr.encode("utf-8")).decode("ascii")


def issuer(domain: str) -> str:
    """The issuer of an Idura domain is the bare ``https://<domain>`` with no path and no trailing slash."""
    return f"https://{domain}"


def _base(domain: str, acr: str | None) -> str:
    return issuer(domain) if acr is None else f"{issuer(domain)}/{acr_path_segment(acr)}"


def authorize_url(domain: str, acr: str | None = None) -> str:
    return f"{_base(domain, acr)}/oauth2/authorize"


def discovery_url(domain: str, acr: str | None = None) -> str:
    return f"{_base(domain, acr)}/.well-known/openid-configuration"


def token_url(domain: str) -> str:
    return f"{issuer(domain)}/oauth2/token"


def userinfo_url(domain: str) -> str:
    return f"{issuer(domain)}/oauth2/userinfo"


def jwks_url(domain: str) -> str:
    return f"{issuer(domain)}/.well-known/jwks"
