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
                                 (optionally with a given id and secret id, to put a deleted one back)
PUT/DELETE /_emulator/issuer     make discovery name another issuer (a misconfigured domain) / stop
PUT /_emulator/eids              the acr values enabled on the domain (a JSON array)
PUT /_emulator/settings          {"uniqueRealms": bool, "authMethods": [...]}: switch the unique-realm guard
                                 off (proves a race overlaps), change the announced client auth methods
"""

from __future__ import annotations

import secrets
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import validate_fault
from .state import STRATEGIES, Application, EmulatorState


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


async def register(request: Request) -> Response:
    body = await request.json()
    state = _state(request)
    with state.lock:
        app = Application(
            id=body.get("id") or f"app_{uuid.uuid4().hex[:20]}",
            domain=body["domain"],
            realm=body["realm"],
            name=body.get("name", body["realm"]),
            return_urls=list(body.get("returnUrls", [])),
        )
        app.set_secret(body["secret"], body.get("secretId"))
        state.add(app)
        return JSONResponse(app.to_json(), status_code=201)


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
    state = _state(request)
    with state.lock:
        if "uniqueRealms" in body:
            state.unique_realms = bool(body["uniqueRealms"])
        if "plainJsonCreates" in body:
            state.plain_json_creates = bool(body["plainJsonCreates"])
        if "authMethods" in body:
            state.auth_methods = [str(m) for m in body["authMethods"]]
    return Response(status_code=204)


_ROUTES = [
    Route("/_emulator/requests", requests_log, methods=["GET", "DELETE"]),
    Route("/_emulator/faults", faults, methods=["POST", "DELETE"]),
    Route("/_emulator/state", snapshot, methods=["GET"]),
    Route("/_emulator/user", user, methods=["PUT"]),
    Route("/_emulator/acr", default_acr, methods=["PUT"]),
    Route("/_emulator/applications/{domain}/{realm:path}", change_application, methods=["PATCH"]),
    Route("/_emulator/register", register, methods=["POST"]),
    Route("/_emulator/issuer", issuer, methods=["PUT", "DELETE"]),
    Route("/_emulator/eids", eids, methods=["PUT"]),
    Route("/_emulator/settings", settings, methods=["PUT"]),
]
routes = [Route(r.path, _authorized(r.endpoint), methods=sorted(r.methods or ())) for r in _ROUTES]
