"""The management API routes (docs/idura-management-api.md), under /management/v1, bearer token auth.

Shaped like Idura's 2018 API where there is evidence (discovery.py): a root document with the
``easyid:tenant-domains`` link template, the tenant's domains with their ``easyid:applications`` link, a
collection the client filters by realm itself (a ``realm`` parameter is ignored, so a client that relied on it
would fail here), and creates only with the vendor media type. Our proposals: the collection in pages with a
``next`` link, and a client id unique across the tenant's domains (409 ``realm_taken``)."""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..program import discovery
from ..program.environment import EMULATOR_TENANT
from ..program.oidc import USERINFO_STRATEGY
from .faults import route
from .state import MAX_PAGE_SIZE, STRATEGIES, Application, EmulatorState

PREFIX = "/management/v1"
TENANT = EMULATOR_TENANT  # IduraEmulator.environment() exports it as IDURA_MANAGEMENT_TENANT


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def _authorized(request: Request) -> bool:
    state: EmulatorState = request.app.state.emulator
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(token.encode(), state.token.encode())


async def _json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _check_urls(urls: Any) -> bool:
    return isinstance(urls, list) and all(isinstance(u, str) and u.startswith("https://") for u in urls)


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{PREFIX}"


@route("discover")
async def root(request: Request) -> Response:
    if not _authorized(request):
        return _error(401, "unauthorized", "missing or invalid bearer token")
    template = {"rel": discovery.ROOT_TENANT_DOMAINS, "href": _base(request) + "/tenants/{tenantId}/domains"}
    return JSONResponse({"links": [], "linkTemplates": [template]})


@route("discover")
async def tenant_domains(request: Request) -> Response:
    """The tenant's domains, each with its applications link: the one this emulator serves (its own host), then
    the others that hold applications (the tests put them there through /_emulator/register)."""
    if not _authorized(request):
        return _error(401, "unauthorized", "missing or invalid bearer token")
    if unquote(request.path_params["tenant"]) != unquote(discovery.tenant_segment(TENANT)):
        return _error(403, "forbidden", "the token may not manage this tenant")
    state: EmulatorState = request.app.state.emulator
    with state.lock:
        others = [d for d in state.domains() if d != request.url.netloc]
    entries = []
    for domain in [request.url.netloc, *others]:
        link = {"rel": discovery.DOMAIN_APPLICATIONS, "href": f"{_base(request)}/domains/{domain}/applications"}
        entries.append({"name": domain, "production": False, "links": [link]})
    return JSONResponse({"domains": entries})


def _guarded(handler):
    async def wrapped(request: Request) -> Response:
        if not _authorized(request):
            return _error(401, "unauthorized", "missing or invalid bearer token")
        return await handler(request, request.app.state.emulator, request.path_params["domain"])

    return wrapped


def _page_request(request: Request, state: EmulatorState) -> tuple[int, int] | str:
    """(after, limit) of a page request, or what is wrong with its parameters."""
    limit_text, after_text = request.query_params.get("limit"), request.query_params.get("after", "0")
    if limit_text is not None and not (limit_text.isdigit() and 1 <= int(limit_text) <= MAX_PAGE_SIZE):
        return f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}"
    if not after_text.isdigit():
        return "after must be a cursor from a next link of this collection"
    return int(after_text), int(limit_text) if limit_text is not None else state.page_size


@route("find")
@_guarded
async def find(request: Request, state: EmulatorState, domain: str) -> Response:
    """A page of the collection; the client filters by realm (discovery.py) and follows ``next``."""
    asked = _page_request(request, state)
    if isinstance(asked, str):
        return _error(400, "invalid_request", asked)
    after, limit = asked
    with state.lock:
        paging = state.paging
        if paging:
            apps, more = state.page(domain, after, limit)
        else:  # the 2018 API's one unpaged list
            apps, more = state.page(domain, 0, len(state.applications))[0], False
        listed = b",".join(a.encoded() for a in apps)  # each application serialized once, not on every read
    if not paging:
        return Response(b'{"applications":[' + listed + b"]}", media_type="application/json")
    links = []
    if more:
        cursor = f"limit={limit}&after={apps[-1].seq}"
        links.append({"rel": discovery.NEXT_PAGE, "href": f"{_base(request)}/domains/{domain}/applications?{cursor}"})
    body = b'{"applications":[' + listed + b'],"links":' + json.dumps(links).encode() + b"}"
    return Response(body, media_type="application/json")


@route("create")
@_guarded
async def create(request: Request, state: EmulatorState, domain: str) -> Response:
    sent = request.headers.get("content-type", "").split(";")[0].strip()
    if sent != discovery.media_type("application") and not (state.plain_json_creates and sent == "application/json"):
        return _error(415, "unsupported_media_type", f"send {discovery.media_type('application')}")
    body = await _json_body(request)
    if body is None or not isinstance(body.get("realm"), str) or not body["realm"]:
        return _error(400, "invalid_request", "body must be a JSON object with realm, name and returnUrls")
    urls = body.get("returnUrls", [])
    oauth2 = body.get("oauth2") or {}
    strategy = oauth2.get("userInfoResponseStrategy", USERINFO_STRATEGY)
    if not _check_urls(urls) or strategy not in STRATEGIES:
        return _error(400, "invalid_request", "returnUrls must be https URLs and the strategy a known one")
    with state.lock:
        holder = state.holder_of(body["realm"]) if state.unique_realms else None
        if holder is not None and holder.domain == domain:
            return _error(409, "conflict", "an application with this realm exists on the domain")
        if holder is not None:
            return _error(
                409,
                "realm_taken",
                "another application of the tenant, on another domain, has this realm (client id): client ids are "
                "unique across the tenant",
            )
        app = Application(
            id=f"app_{uuid.uuid4().hex[:20]}",
            domain=domain,
            realm=body["realm"],
            name=str(body.get("name") or body["realm"]),
            return_urls=list(urls),
            code_flow=bool(oauth2.get("codeFlow", True)),
            strategy=strategy,
        )
        state.add(app)
        return JSONResponse(app.to_json(), status_code=201)


def _app_or_404(state: EmulatorState, domain: str, request: Request) -> Application | None:
    return state.by_id(domain, request.path_params["app_id"])


@route("get")
@_guarded
async def get(request: Request, state: EmulatorState, domain: str) -> Response:
    with state.lock:
        app = _app_or_404(state, domain, request)
        return JSONResponse(app.to_json()) if app else _error(404, "not_found", "no such application")


@route("update")
@_guarded
async def update(request: Request, state: EmulatorState, domain: str) -> Response:
    body = await _json_body(request)
    if body is None:
        return _error(400, "invalid_request", "body must be a JSON object")
    with state.lock:
        app = _app_or_404(state, domain, request)
        if app is None:
            return _error(404, "not_found", "no such application")
        if "returnUrls" in body:
            if not _check_urls(body["returnUrls"]):
                return _error(400, "invalid_request", "returnUrls must be https URLs")
            app.return_urls = list(body["returnUrls"])
        if "name" in body:
            app.name = str(body["name"])
        oauth2 = body.get("oauth2") or {}
        if "codeFlow" in oauth2:
            app.code_flow = bool(oauth2["codeFlow"])
        if "userInfoResponseStrategy" in oauth2:
            if oauth2["userInfoResponseStrategy"] not in STRATEGIES:
                return _error(400, "invalid_request", f"userInfoResponseStrategy must be one of {STRATEGIES}")
            app.strategy = oauth2["userInfoResponseStrategy"]
        return JSONResponse(app.to_json())


@route("secret")
@_guarded
async def issue_secret(request: Request, state: EmulatorState, domain: str) -> Response:
    """Issue a new secret; with ``{"replaces": <id or null>}`` only while that is still the current one."""
    body = await _json_body(request) if await request.body() else {}
    if body is None:
        return _error(400, "invalid_request", "body must be a JSON object")
    with state.lock:
        app = _app_or_404(state, domain, request)
        if app is None:
            return _error(404, "not_found", "no such application")
        if "replaces" in body and body["replaces"] != app.secret_id:
            return _error(409, "secret_changed", "the current client secret is not the one this request replaces")
        secret, secret_id = app.issue_secret()
        return JSONResponse({"clientSecret": secret, "clientSecretId": secret_id})


@route("delete")
@_guarded
async def delete(request: Request, state: EmulatorState, domain: str) -> Response:
    with state.lock:
        app = _app_or_404(state, domain, request)
        if app is None:
            return _error(404, "not_found", "no such application")
        state.remove(app)
        return Response(status_code=204)


APPS = PREFIX + "/domains/{domain}/applications"
routes = [
    Route(PREFIX, root, methods=["GET"]),
    Route(PREFIX + "/tenants/{tenant}/domains", tenant_domains, methods=["GET"]),
    Route(APPS, find, methods=["GET"]),
    Route(APPS, create, methods=["POST"]),
    Route(APPS + "/{app_id}", get, methods=["GET"]),
    Route(APPS + "/{app_id}", update, methods=["PATCH"]),
    Route(APPS + "/{app_id}", delete, methods=["DELETE"]),
    Route(APPS + "/{app_id}/client-secret", issue_secret, methods=["POST"]),
]
