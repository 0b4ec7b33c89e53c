"""The OIDC side of an Idura domain: discovery, JWKS, authorize (a test user logs in at once), token, userinfo.

The domain served is the request's host (``localhost:PORT``), and its issuer ``https://<host>``. Behaviour
follows Idura's documentation: ``/<BASE64(acr)>/...`` variants pin an eID, ``expires_in`` is a string,
client_secret_basic form-urlencodes id and secret before base64, and userinfo answers in the application's
response strategy (``fromTokenEndpoint`` fails there with "Unknown Access Code").
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from typing import Any
from urllib.parse import unquote_plus, urlencode

from joserfc import jwe, jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .faults import route
from .state import EmulatorState, Grant

CODE_TTL = 300
ENCRYPTION_ALGORITHMS = ["RSA-OAEP-256", "A256GCM"]
TOKEN_TTL = 120


def _domain(request: Request) -> str:
    return request.headers.get("host", request.url.netloc)


def _issuer(request: Request) -> str:
    override = request.app.state.emulator.issuer_override  # a misconfigured domain, for the doctor's tests
    return override or f"https://{_domain(request)}"


def _acr_from_path(request: Request) -> str | None:
    segment = request.path_params.get("acr64")
    if segment is None:
        return None
    try:
        return base64.b64decode(segment, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


async def discovery(request: Request) -> Response:
    """The fields Idura's SDKs read (criipto-auth.js OpenIDConfiguration, AppAuth's required ones)."""
    if _acr_from_path(request) == "":
        return PlainTextResponse("unknown acr path", status_code=404)
    state: EmulatorState = request.app.state.emulator
    issuer = _issuer(request)
    prefix = f"{issuer}/{request.path_params['acr64']}" if "acr64" in request.path_params else issuer
    with state.lock:
        acrs, methods = list(state.enabled_acrs), list(state.auth_methods)
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{prefix}/oauth2/authorize",
            "pushed_authorization_request_endpoint": f"{issuer}/oauth2/par",
            "token_endpoint": f"{issuer}/oauth2/token",
            "userinfo_endpoint": f"{issuer}/oauth2/userinfo",
            "end_session_endpoint": f"{issuer}/oauth2/logout",
            "jwks_uri": f"{issuer}/.well-known/jwks",
            "response_types_supported": ["code", "id_token", "code id_token"],
            "response_modes_supported": ["query", "form_post", "fragment"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": methods,
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "address", "email", "phone", "birthdate", "ssn"],
            "acr_values_supported": acrs,
        }
    )


plain_discovery = route("discovery")(discovery)
pinned_discovery = route("pinned_discovery")(discovery)


@route("jwks")
async def jwks(request: Request) -> Response:
    keys = (request.app.state.signing_key, request.app.state.mitid_signing_key)
    return JSONResponse({"keys": [key.as_dict(private=False) for key in keys]})


@route("authorize")
async def authorize(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    params = request.query_params
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    with state.lock:
        app = state.find(_domain(request), client_id)
    if app is None:
        return PlainTextResponse(f"unknown client_id {client_id!r}", status_code=400)
    if redirect_uri not in app.return_urls:  # never redirect to an unregistered URL
        return PlainTextResponse("redirect_uri is not registered on the application", status_code=400)
    if not app.code_flow or params.get("response_type") != "code":
        return _redirect(redirect_uri, {"error": "unsupported_response_type", "state": params.get("state")})
    acr = _acr_from_path(request)
    if acr == "":
        return PlainTextResponse("unknown acr path", status_code=404)
    acr = acr or params.get("acr_values") or state.default_acr
    with state.lock:
        enabled = acr in state.enabled_acrs
    if not enabled:  # as an OIDC provider reports a bad request once the redirect URI is known (assumption)
        description = f"acr_values {acr} is not enabled for this domain"
        return _redirect(
            redirect_uri,
            {"error": "invalid_request", "error_description": description, "state": params.get("state")},
        )
    claims = state.user_claims(acr, params.get("scope", "openid").split())
    if params.get("nonce"):
        claims["nonce"] = params["nonce"]
    code = secrets.token_urlsafe(24)
    with state.lock:
        state.codes[code] = Grant(client_id, _domain(request), redirect_uri, claims, time.time() + CODE_TTL, acr)
    return _redirect(redirect_uri, {"code": code, "state": params.get("state")})


def _redirect(uri: str, query: dict[str, Any]) -> Response:
    query = {k: v for k, v in query.items() if v is not None}
    separator = "&" if "?" in uri else "?"
    return RedirectResponse(f"{uri}{separator}{urlencode(query)}", status_code=302)


def _client_credentials(request: Request, form: Any) -> list[tuple[str, str]] | None:
    """The (client id, secret) readings of the request: Basic first, else the form (client_secret_post).

    Idura's docs require form-urlencoding id and secret before base64 in Basic (urn: ids hold colons); its own
    JS libraries send the secret unencoded. Both readings are tried, so a raw '+' never turns into a space.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if not sep:
            return None
        return [(unquote_plus(user), unquote_plus(password)), (unquote_plus(user), password)]
    if "client_secret" in form:
        return [(form.get("client_id", ""), form.get("client_secret", ""))]
    return None


@route("token")
async def token(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    form = await request.form()
    readings = _client_credentials(request, form)
    if readings is None:
        return _oauth_error(401, "invalid_client", "client authentication is required")
    client_id = readings[0][0]
    with state.lock:
        app = state.find(_domain(request), client_id)
        if app is None or not any(app.secret_matches(secret) for _, secret in readings):
            return _oauth_error(401, "invalid_client", "client authentication failed")
        if form.get("grant_type") != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type", "only authorization_code is supported")
        grant = state.codes.pop(str(form.get("code", "")), None)  # one-time: gone after the first use
        strategy = app.strategy
    if grant is None or grant.expires < time.time() or grant.client_id != client_id:
        return _oauth_error(400, "invalid_grant", "Unknown Access Code")
    if form.get("redirect_uri") != grant.redirect_uri:
        return _oauth_error(400, "invalid_grant", "redirect_uri does not match the authorization request")
    now = int(time.time())
    id_claims = {
        **grant.claims,
        "iss": _issuer(request),
        "aud": client_id,
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_TTL,
    }
    access_token = secrets.token_urlsafe(32)
    if strategy != "fromTokenEndpoint":
        with state.lock:
            state.tokens[access_token] = Grant(
                client_id, grant.domain, grant.redirect_uri, id_claims, now + 600, grant.acr
            )
    return JSONResponse(
        {
            "token_type": "Bearer",
            "expires_in": str(TOKEN_TTL),  # a string, as Idura sends it
            "id_token": _sign(request, id_claims, grant.acr),
            "access_token": access_token,
        }
    )


def _sign(request: Request, claims: dict[str, Any], acr: str) -> str:
    mitid = acr.startswith("urn:grn:authn:dk:mitid")
    key = request.app.state.mitid_signing_key if mitid else request.app.state.signing_key
    return jwt.encode({"alg": "RS256", "typ": "JWT", "kid": key.kid}, claims, key)


@route("userinfo")
async def userinfo(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    scheme, _, access_token = request.headers.get("authorization", "").partition(" ")
    with state.lock:
        grant = state.tokens.get(access_token) if scheme.lower() == "bearer" else None
        app = state.find(grant.domain, grant.client_id) if grant else None
    if grant is None or app is None or grant.expires < time.time():
        return _oauth_error(401, "invalid_token", "Unknown Access Code")
    claims = {k: v for k, v in grant.claims.items() if k not in ("nonce", "nbf", "exp", "iat")}
    if app.strategy == "plainJson":
        return JSONResponse(claims)
    signed = _sign(request, {**claims, "iss": _issuer(request), "aud": app.realm}, grant.acr)
    if app.strategy == "signedJwt":
        return Response(signed, media_type="application/jwt")
    encrypted = jwe.encrypt_compact(
        {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"},
        signed,
        request.app.state.encryption_key,
        algorithms=ENCRYPTION_ALGORITHMS,
    )
    return Response(encrypted, media_type="application/jwt")


@route("logout")
async def logout(request: Request) -> Response:
    """end_session_endpoint: back to post_logout_redirect_uri when it is registered, else a plain page."""
    target = request.query_params.get("post_logout_redirect_uri", "")
    state: EmulatorState = request.app.state.emulator
    with state.lock:
        known = any(target in app.return_urls for app in state.applications if app.domain == _domain(request))
    if target and known:
        return _redirect(target, {"state": request.query_params.get("state")})
    return PlainTextResponse("logged out")


ACR = "/{acr64:str}"
routes = [
    Route("/.well-known/openid-configuration", plain_discovery, methods=["GET"]),
    Route(ACR + "/.well-known/openid-configuration", pinned_discovery, methods=["GET"]),
    Route("/.well-known/jwks", jwks, methods=["GET"]),
    Route("/.well-known/jwks.json", jwks, methods=["GET"]),  # the path Idura's Android SDK reads
    Route("/oauth2/logout", logout, methods=["GET"]),
    Route("/oauth2/authorize", authorize, methods=["GET"]),
    Route(ACR + "/oauth2/authorize", authorize, methods=["GET"]),
    Route("/oauth2/token", token, methods=["POST"]),
    Route("/oauth2/userinfo", userinfo, methods=["GET", "POST"]),
]
