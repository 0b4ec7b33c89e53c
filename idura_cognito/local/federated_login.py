"""Log in through Idura exactly as Cognito does, from an identity provider's settings.

Cognito, after the user returns from Idura: exchanges the code at the token endpoint with
``client_secret_post``, checks the id token, then calls userinfo with the access token (GET or POST per
``attributes_request_method``) and maps the JSON claims. This module performs the same steps, so a setup can
be proven (the demo, the tests, the doctor) without Cognito's hosted UI.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

PLAIN_JSON_FIX = (
    "Cognito would fail with 'invalid token_type in idp oauth response': userinfo answered {what} instead "
    "of a JSON object; Idura's documented fix: set the application's user info response strategy to plainJson"
)


class LoginError(Exception):
    """A step of the login failed; the message says which and what to fix. Never holds a secret."""


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorize: str
    token: str
    userinfo: str
    jwks: str


def endpoints(details: dict[str, str], http: httpx.Client) -> Endpoints:
    """Manual endpoints when the IdP has them (pinned eIDs), else OIDC discovery at the issuer."""
    issuer = details["oidc_issuer"].rstrip("/")
    if details.get("authorize_url"):
        return Endpoints(
            issuer, details["authorize_url"], details["token_url"], details["attributes_url"], details["jwks_uri"]
        )
    response = _get(http, f"{issuer}/.well-known/openid-configuration", "discovery")
    doc = response.json()
    if doc.get("issuer") != issuer:
        raise LoginError(f"discovery names issuer {doc.get('issuer')!r}, but the IdP trusts {issuer!r}")
    return Endpoints(
        issuer, doc["authorization_endpoint"], doc["token_endpoint"], doc["userinfo_endpoint"], doc["jwks_uri"]
    )


def login(
    details: dict[str, str],
    redirect_uri: str,
    *,
    verify: Any = True,
    timeout: float = 10.0,
    login_hint: str | None = None,
) -> dict:
    """Run authorize -> token (client_secret_post) -> userinfo as Cognito does; return the userinfo claims.

    ``login_hint``: the app's hint, which Cognito adds to its request to an OIDC IdP (docs/idura-fidelity.md)."""
    with httpx.Client(verify=verify, timeout=timeout, follow_redirects=False, trust_env=False) as http:
        points = endpoints(details, http)
        nonce = secrets.token_urlsafe(12)
        code = _authorize(http, points, details, redirect_uri, nonce, login_hint)
        access_token = _exchange_code(http, points, details, redirect_uri, code, nonce)
        return _userinfo(http, points, access_token, details.get("attributes_request_method", "GET"))


def _authorize(
    http: httpx.Client, points: Endpoints, details: dict[str, str], redirect_uri: str, nonce: str, hint: str | None
) -> str:
    """The browser's leg: authorize must redirect back to Cognito with our state and a code."""
    state = secrets.token_urlsafe(12)
    params = {
        "client_id": details["client_id"],
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": details.get("authorize_scopes", "openid"),
        "state": state,
        "nonce": nonce,
    } | ({"login_hint": hint} if hint else {})
    response = _request(http, "GET", points.authorize, "authorize", params=params)
    location = response.headers.get("location", "")
    if response.status_code != 302 or not location.startswith(redirect_uri):
        raise LoginError(
            f"authorize did not redirect back to {redirect_uri} (HTTP {response.status_code}); "
            "is that redirect URL registered on the Idura application?"
        )
    query = parse_qs(urlsplit(location).query)
    if "error" in query:
        raise LoginError(f"authorize answered error={query['error'][0]}")
    if query.get("state") != [state] or "code" not in query:
        raise LoginError("authorize did not echo the state or return a code")
    return query["code"][0]


def _exchange_code(
    http: httpx.Client, points: Endpoints, details: dict[str, str], redirect_uri: str, code: str, nonce: str
) -> str:
    """Cognito's back channel: the code and the client secret (client_secret_post) for tokens; the id token
    must verify against the issuer's keys. Returns the access token."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": details["client_id"],
        "client_secret": details.get("client_secret", ""),
    }
    response = _request(http, "POST", points.token, "token", data=form)
    if response.status_code == 401:
        raise LoginError(
            "the token endpoint refused the client secret (invalid_client): the secret Cognito "
            "holds is not the application's current one"
        )
    if response.status_code != 200:
        raise LoginError(f"the token endpoint answered HTTP {response.status_code}")
    tokens = response.json()
    if str(tokens.get("token_type", "")).lower() != "bearer" or "access_token" not in tokens:
        raise LoginError("the token response has no bearer access token")
    _check_id_token(http, points, tokens.get("id_token", ""), details["client_id"], nonce)
    return tokens["access_token"]


def _userinfo(http: httpx.Client, points: Endpoints, access_token: str, method: str) -> dict:
    """Cognito reads the user's claims from userinfo and accepts only a plain JSON object."""
    headers = {"Authorization": f"Bearer {access_token}"}
    response = _request(http, method.upper(), points.userinfo, "userinfo", headers=headers)
    if response.status_code != 200:
        raise LoginError(
            f"userinfo answered HTTP {response.status_code}: "
            "is the user info response strategy fromTokenEndpoint? Cognito needs plainJson"
        )
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        claims = response.json() if content_type == "application/json" else None
    except ValueError:
        claims = None
    if not isinstance(claims, dict):
        raise LoginError(PLAIN_JSON_FIX.format(what=content_type or "no content type"))
    return claims


def _check_id_token(http: httpx.Client, points: Endpoints, token: str, client_id: str, nonce: str) -> None:
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(_get(http, points.jwks, "jwks").json())
    try:
        decoded = jwt.decode(token, keys, algorithms=["RS256"])
    except (JoseError, ValueError) as exc:
        raise LoginError(f"the id token does not verify against the issuer's JWKS ({type(exc).__name__})") from None
    claims = decoded.claims
    if claims.get("iss") != points.issuer or claims.get("aud") != client_id or claims.get("nonce") != nonce:
        raise LoginError("the id token's iss, aud or nonce does not match the request")


def _get(http: httpx.Client, url: str, step: str) -> httpx.Response:
    response = _request(http, "GET", url, step)
    if response.status_code != 200:
        raise LoginError(f"{step} at {url} answered HTTP {response.status_code}")
    return response


def _request(http: httpx.Client, method: str, url: str, step: str, **kwargs: Any) -> httpx.Response:
    try:
        return http.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise LoginError(f"{step} at {url} failed: {type(exc).__name__}") from None


def cognito_attributes(mapping: dict[str, str], claims: dict[str, Any]) -> dict[str, str]:
    """What Cognito stores for a federated user: each mapped attribute whose claim the login sent (as text).

    A claim the eID does not send leaves its attribute unset: the mapping does not fail, the attribute is empty.
    """
    stored = {}
    for attribute, claim in mapping.items():
        if claim in claims and claims[claim] is not None:
            value = claims[claim]
            stored[attribute] = value if isinstance(value, str) else json.dumps(value)
    return stored
