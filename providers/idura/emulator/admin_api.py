"""Test controls under /_emulator (no auth; the emulator listens on loopback only).

GET/DELETE /_emulator/requests   the request log / clear it
POST /_emulator/faults           add a fault (see faults.py); DELETE clears all faults
GET /_emulator/state             applications with the SHA-256 of their secret (never the secret)
PUT /_emulator/user              replace the test user's claims (a JSON object); PUT /_emulator/acr sets the
                                 default acr used when neither the path nor acr_values names one
PATCH /_emulator/applications/{domain}/{realm}   change strategy/code flow/return URLs behind the product's back
POST /_emulator/register         register an application with a given secret, as a person does in the dashboard
PUT/DELETE /_emulator/issuer     make discovery name another issuer (a misconfigured domain) / stop
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import validate_fault
from .state import STRATEGIES, Application, EmulatorState


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


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
        apps = [{**a.to_json(), "secretSha256": a.secret_sha256} for a in state.applications.values()]
    return JSONResponse({"applications": apps})


async def user(request: Request) -> Response:
    body = await request.json()
    if not isinstance(body, dict):
        return JSONResponse({"error": "invalid_request", "message": "a JSON object of claims"}, status_code=400)
    state = _state(request)
    with state.lock:
        state.user = body
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
            id=f"app_{uuid.uuid4().hex[:20]}",
            domain=body["domain"],
            realm=body["realm"],
            name=body.get("name", body["realm"]),
            return_urls=list(body.get("returnUrls", [])),
        )
        app.set_secret(body["secret"])
        state.add(app)
        return JSONResponse(app.to_json(), status_code=201)


routes = [
    Route("/_emulator/requests", requests_log, methods=["GET", "DELETE"]),
    Route("/_emulator/faults", faults, methods=["POST", "DELETE"]),
    Route("/_emulator/state", snapshot, methods=["GET"]),
    Route("/_emulator/user", user, methods=["PUT"]),
    Route("/_emulator/acr", default_acr, methods=["PUT"]),
    Route("/_emulator/applications/{domain}/{realm:path}", change_application, methods=["PATCH"]),
    Route("/_emulator/register", register, methods=["POST"]),
    Route("/_emulator/issuer", issuer, methods=["PUT", "DELETE"]),
]
