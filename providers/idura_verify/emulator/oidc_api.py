"""The OIDC side of an Idura domain: discovery, JWKS, authorize, token, userinfo, sign-out.

The domain served is the request's host (``localhost:PORT``), and its issuer ``https://<host>``. Behaviour
follows Idura's documentation: ``/<BASE64(acr)>/...`` variants pin an eID, ``login_hint`` may carry
``acr_values:`` and ``scope:`` hints (login_hint.py), ``expires_in`` is a string, client_secret_basic
form-urlencodes id and secret before base64, and userinfo answers in the application's response strategy
(``fromTokenEndpoint`` fails there with "Unknown Access Code"). At authorize the test person authenticates at
once, unless the domain's SSO session (sso.py) completes the login for them; the request log says which
(``sso``: "person authenticated" or "completed from session"). ``/oauth2/logout`` ends the session.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from typing import Any
from urllib.parse import unquote_plus, urlencode

from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import login_hint, sso
from .faults import note, route
from .state import Application, EmulatorState, Grant, SsoSession

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
    hint = login_hint.parse(params.get("login_hint", ""))
    if len(set(hint.acrs)) > 1:  # Idura's builder puts acr_values in the hint only with one value
        return _authorize_error(request, "invalid_request", "login_hint may name one acr_values, not several")
    # The path pins; the parameter comes before the hint, which is a fallback (oidc-intro.mdx:549-554); which
    # wins when two disagree is not documented (assumption).
    acr = acr or params.get("acr_values") or next(iter(hint.acrs), "") or state.default_acr
    with state.lock:
        enabled = acr in state.enabled_acrs
    if not enabled:  # as an OIDC provider reports a bad request once the redirect URI is known (assumption)
        return _authorize_error(request, "invalid_request", f"acr_values {acr} is not enabled for this domain")
    prompts = set(params.get("prompt", "").split())
    domain = _domain(request)
    with state.lock:
        session = sso.current(request, state, domain)
        from_session = session is not None and acr in session.acrs and "login" not in prompts
        if "none" in prompts and not from_session:  # sso.mdx:27-30: a silent check without a session
            session = None
        elif not from_session and state.sso:  # the person authenticates with the eID; the session holds it
            session = session or sso.start(state, domain)
            session.acrs.add(acr)
        if session is not None:
            session.client_ids.add(client_id)
    if "none" in prompts and not from_session:
        note(request, "sso", "login required")
        return _authorize_error(request, "login_required", "no SSO session for this eID method")
    note(request, "sso", "completed from session" if from_session else "person authenticated")
    scopes = [*params.get("scope", "openid").split(), *hint.scopes]  # scope: hints add scopes (quirk mode)
    claims = state.user_claims(acr, scopes)
    if params.get("nonce"):
        claims["nonce"] = params["nonce"]
    code = secrets.token_urlsafe(24)
    with state.lock:
        state.codes[code] = Grant(client_id, domain, redirect_uri, claims, time.time() + CODE_TTL, acr)
    response = _redirect(redirect_uri, {"code": code, "state": params.get("state")})
    if session is not None:
        sso.set_cookie(response, session)
    return response


def _authorize_error(request: Request, error: str, description: str) -> Response:
    """An error back at the (registered) redirect URI with the request's state (oidc-intro.mdx §Error response)."""
    query = {"error": error, "error_description": description, "state": request.query_params.get("state")}
    return _redirect(request.query_params["redirect_uri"], query)


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
    """end_session_endpoint (sso.mdx:36-38): ends the person's SSO session on the domain, then goes back to
    ``post_logout_redirect_uri`` (with ``state``) only when the application has it among its callback URLs;
    anything else is an error page and no redirect. Which application: ``client_id``, else the audience of
    ``id_token_hint`` (OpenID Connect RP-Initiated Logout 1.0 §2 defines both), else the applications the
    session logged into."""
    params = request.query_params
    target = params.get("post_logout_redirect_uri", "")
    state: EmulatorState = request.app.state.emulator
    domain = _domain(request)
    with state.lock:
        session = sso.current(request, state, domain)
        if session is not None:
            sso.end(state, session)
        apps, problem = _logout_applications(request, state, session)
    note(request, "sso", "session ended" if session is not None else "no session")
    if not target:
        response: Response = PlainTextResponse("signed out")
    elif problem:
        response = PlainTextResponse(f"signed out, but not sent back: {problem}", status_code=400)
    elif not any(target in app.return_urls for app in apps):
        message = "signed out, but not sent back: post_logout_redirect_uri is not a callback URL of the application"
        response = PlainTextResponse(message, status_code=400)
    else:
        response = _redirect(target, {"state": params.get("state")})
    sso.clear_cookie(response)
    return response


def _logout_applications(
    request: Request, state: EmulatorState, session: SsoSession | None
) -> tuple[list[Application], str]:
    """The applications a sign-out's return URL is checked against, or why there are none."""
    domain, params = _domain(request), request.query_params
    client_id = params.get("client_id")
    if params.get("id_token_hint"):
        keys = KeySet([request.app.state.signing_key, request.app.state.mitid_signing_key])
        try:
            audience = jwt.decode(params["id_token_hint"], keys).claims.get("aud")
        except (JoseError, ValueError):
            return [], "id_token_hint is not a token this domain issued"
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if client_id and client_id not in audiences:
            return [], "client_id is not the audience of id_token_hint"
        client_id = client_id or next(iter(audiences), None)
    if client_id:
        app = state.find(domain, client_id)
        return ([app], "") if app else ([], f"unknown client_id {client_id!r}")
    if session is not None:
        return [a for a in (state.find(domain, c) for c in sorted(session.client_ids)) if a], ""
    return [], "no SSO session, client_id or id_token_hint names the application"


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
