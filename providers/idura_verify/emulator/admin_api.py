"""Test controls under /_emulator. Every route needs the emulator's token (``Authorization: Bearer``), like the
management API: anyone on the machine could otherwise rewrite what the emulated Idura says.

GET/DELETE /_emulator/requests   the request log / clear it
POST /_emulator/faults           add a fault (see faults.py); DELETE clears all faults
GET /_emulator/state             applications with the SHA-256 of their secret (never the secret)
PUT /_emulator/user              replace the test user's claims (a JSON object); PUT /_emulator/acr sets the
                                 default acr used when neither the path nor acr_values names one
PATCH /_emulator/applications/{domain}/{realm}   change strategy/code flow/return URLs behind the product's back,
                                 or put a known secret (and secret id) back
POST /_emulator/register         register an application with a given secret, as a person does in the dashboard
                                 (optionally with a given id and secret id, to put a deleted one back), on any
                                 domain of the tenant (``domain``: another one than the emulator's own host holds
                                 applications of the tenant's other domains); a JSON array registers several
                                 (``secret`` may then be left out: an application without a secret)
POST /_emulator/dashboard/applications   the dashboard stand-in: {"clientId", "name", "callbackUrls"} registers
                                 an application on this host's domain as a person does in Idura's dashboard (code
                                 flow on, plainJson) and answers its client secret, once; 409 when the client id
                                 is taken anywhere in the tenant
PUT/DELETE /_emulator/issuer     make discovery name another issuer (a misconfigured domain) / stop
PUT /_emulator/eids              the acr values enabled on the domain (a JSON array)
PUT /_emulator/settings          {"uniqueRealms": bool, "authMethods": [...], "paging": bool, "pageSize": n,
                                 "sso": bool}: switch the unique-realm guard off (proves a race overlaps), change
                                 the announced client auth methods, serve the collection unpaged (as in 2018) or
                                 in pages of n, turn the domain's SSO off
"""

from __future__ import annotations

import secrets
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..program.oidc import USERINFO_STRATEGY
from .faults import validate_fault
from .state import MAX_PAGE_SIZE, PAGE_SIZE, STRATEGIES, Application, EmulatorState


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


def _authorized(handler):
    async def wrapped(request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), _state(request).token.encode()):
            return JSONResponse({"error": "unauthorized", "message": "the emulator's token is required"}, 401)
        return await handler(request)

    return wrapped


async def requests_log(request: Request) -> Response:
    state = _state(request)
    with state.lock:
        if request.method == "DELETE":
            state.requests.clear()
            return Response(status_code=204)
        return JSONResponse({"requests": list(state.requests)})


async def faults(request: Request) -> Response:
    state = _state(request)
    if request.method == "DELETE":
        with state.lock:
            state.faults.clear()
        return Response(status_code=204)
    try:
        fault = validate_fault(await request.json())
    except ValueError as exc:
        return JSONResponse({"error": "invalid_request", "message": str(exc)}, status_code=400)
    with state.lock:
        state.faults.append(fault)
    return JSONResponse(fault, status_code=201)


async def snapshot(request: Request) -> Response:
    state = _state(request)
    with state.lock:
        apps = [{**a.to_json(), "secretSha256": a.secret_sha256} for a in state.applications]
    return JSONResponse({"applications": apps})


async def user(request: Request) -> Response:
    body = await request.json()
    if not isinstance(body, dict):
        return JSONResponse({"error": "invalid_request", "message": "a JSON object of claims"}, status_code=400)
    state = _state(request)
    with state.lock:
        state.user_override = body or None  # {} goes back to the per-eID identities
    return Response(status_code=204)


async def default_acr(request: Request) -> Response:
    state = _state(request)
    with state.lock:
        state.default_acr = (await request.body()).decode().strip()
    return Response(status_code=204)


async def change_application(request: Request) -> Response:
    state = _state(request)
    body = await request.json()
    with state.lock:
        app = state.find(request.path_params["domain"], request.path_params["realm"])
        if app is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        if body.get("userInfoResponseStrategy") in STRATEGIES:
            app.strategy = body["userInfoResponseStrategy"]
        if "codeFlow" in body:
            app.code_flow = bool(body["codeFlow"])
        if "returnUrls" in body:
            app.return_urls = list(body["returnUrls"])
        if "secret" in body:  # put a known secret (and its id) back, as a test undoes a break
            app.set_secret(body["secret"], body.get("secretId"))
        return JSONResponse(app.to_json())


async def issuer(request: Request) -> Response:
    """PUT a text body to make discovery name another issuer; DELETE to answer with the real one again."""
    state = _state(request)
    value = (await request.body()).decode().strip() if request.method == "PUT" else None
    with state.lock:
        state.issuer_override = value or None
    return Response(status_code=204)


def _registered(body: dict) -> Application:
    app = Application(
        id=body.get("id") or f"app_{uuid.uuid4().hex[:20]}",
        domain=body["domain"],
        realm=body["realm"],
        name=body.get("name", body["realm"]),
        return_urls=list(body.get("returnUrls", [])),
    )
    if "secret" in body:
        app.set_secret(body["secret"], body.get("secretId"))
    return app


async def register(request: Request) -> Response:
    body = await request.json()
    several = isinstance(body, list)
    bodies = body if several else [body]
    if not all(isinstance(b, dict) and isinstance(b.get("domain"), str) and b.get("realm") for b in bodies):
        return _invalid("an application (or a JSON array of them) with domain and realm")
    if not several and "secret" not in body:
        return _invalid("one application needs its secret (the one the dashboard showed)")
    state = _state(request)
    with state.lock:
        apps = [_registered(b) for b in bodies]
        for app in apps:
            state.add(app)
        return JSONResponse([a.to_json() for a in apps] if several else apps[0].to_json(), status_code=201)


async def dashboard_register(request: Request) -> Response:
    """What a person does in Idura's dashboard: a new application on the domain with a client id, a name and
    callback URLs, "Enable OAuth2 Code Flow" (the secret is shown once), user info strategy plainJson (docs
    verify/integrations/aws-cognito.mdx:18-26, snippets/oauth2-code-flow.mdx:5-9). The client id must be unique
    among the tenant's applications (docs verify/guides/production.mdx:36-37)."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    client_id = body.get("clientId") if isinstance(body, dict) else None
    urls = body.get("callbackUrls") if isinstance(body, dict) else None
    if not isinstance(client_id, str) or not client_id.strip() or not client_id.isprintable():
        return _invalid("clientId: a non-empty client id (realm) without control characters")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) and u.startswith("https://") for u in urls):
        return _invalid("callbackUrls: a non-empty JSON array of https:// URLs")
    name = body.get("name") or client_id
    if not isinstance(name, str):
        return _invalid("name: text")
    state = _state(request)
    with state.lock:
        holder = state.holder_of(client_id)
        if holder is not None:
            where = "this domain" if holder.domain == _host(request) else "another domain of the tenant"
            message = f"the client id is used by another application on {where}: it must be unique"
            return JSONResponse({"error": "conflict", "message": message}, status_code=409)
        app = Application(
            id=f"app_{uuid.uuid4().hex[:20]}",
            domain=_host(request),
            realm=client_id,
            name=name,
            return_urls=list(dict.fromkeys(urls)),
            strategy=USERINFO_STRATEGY,
        )
        secret, secret_id = app.issue_secret()
        state.add(app)
    shown = {
        "id": app.id,
        "domain": app.domain,
        "clientId": app.realm,
        "name": app.name,
        "callbackUrls": app.return_urls,
        "codeFlow": app.code_flow,
        "userInfoResponseStrategy": app.strategy,
        "clientSecretId": secret_id,
        "clientSecret": secret,  # this answer only: the state keeps a hash
    }
    return JSONResponse(shown, status_code=201)


def _host(request: Request) -> str:
    return request.headers.get("host", request.url.netloc)


def _invalid(message: str) -> JSONResponse:
    return JSONResponse({"error": "invalid_request", "message": message}, status_code=400)


async def eids(request: Request) -> Response:
    body = await request.json()
    if not isinstance(body, list) or not all(isinstance(a, str) for a in body):
        return JSONResponse({"error": "invalid_request", "message": "a JSON array of acr values"}, status_code=400)
    state = _state(request)
    with state.lock:
        state.enabled_acrs = list(body)
    return Response(status_code=204)


async def settings(request: Request) -> Response:
    body = await request.json()
    size = body.get("pageSize", PAGE_SIZE) if isinstance(body, dict) else None
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PAGE_SIZE:
        return _invalid(f"a JSON object of settings; pageSize: a whole number from 1 to {MAX_PAGE_SIZE}")
    state = _state(request)
    with state.lock:
        if "uniqueRealms" in body:
            state.unique_realms = bool(body["uniqueRealms"])
        if "plainJsonCreates" in body:
            state.plain_json_creates = bool(body["plainJsonCreates"])
        if "authMethods" in body:
            state.auth_methods = [str(m) for m in body["authMethods"]]
        if "paging" in body:
            state.paging = bool(body["paging"])
        if "pageSize" in body:
            state.page_size = size
        if "sso" in body:
            state.sso = bool(body["sso"])
            if not state.sso:
                state.sessions.clear()
    return Response(status_code=204)


_ROUTES = [
    Route("/_emulator/requests", requests_log, methods=["GET", "DELETE"]),
    Route("/_emulator/faults", faults, methods=["POST", "DELETE"]),
    Route("/_emulator/state", snapshot, methods=["GET"]),
    Route("/_emulator/user", user, methods=["PUT"]),
    Route("/_emulator/acr", default_acr, methods=["PUT"]),
    Route("/_emulator/applications/{domain}/{realm:path}", change_application, methods=["PATCH"]),
    Route("/_emulator/register", register, methods=["POST"]),
    Route("/_emulator/dashboard/applications", dashboard_register, methods=["POST"]),
    Route("/_emulator/issuer", issuer, methods=["PUT", "DELETE"]),
    Route("/_emulator/eids", eids, methods=["PUT"]),
    Route("/_emulator/settings", settings, methods=["PUT"]),
]
routes = [Route(r.path, _authorized(r.endpoint), methods=sorted(r.methods or ())) for r in _ROUTES]
