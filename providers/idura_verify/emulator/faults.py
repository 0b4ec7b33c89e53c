"""Fault injection and the request log: every emulated route runs through :func:`route`.

A fault matches a route name (``find``, ``get``, ``create``, ``update``, ``secret``, ``delete``, ``discovery``,
``pinned_discovery``, ``jwks``, ``authorize``, ``token``, ``userinfo``) and applies to its next ``times``
requests (-1: all). It answers with ``status`` (and ``Retry-After`` if given), waits ``delay`` seconds, or
drops the connection (``drop``). With ``after`` true the real handler runs first, so its effect happens and
only the answer is lost: an ambiguous failure. With ``shield`` a delayed request completes at the emulator even
when the client gave up waiting (a real server often finishes the work): it can land after the client's retry.
The log records method, path, route, status, fault and the arrival and completion times; never bodies or
headers. A handler adds what a test must tell apart with :func:`note` (authorize and logout: ``sso``, whether the
person authenticated or the SSO session completed the login).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .state import EmulatorState

ROUTES = (
    "find",
    "get",
    "create",
    "update",
    "secret",
    "delete",
    "discovery",
    "pinned_discovery",
    "jwks",
    "authorize",
    "logout",
    "token",
    "userinfo",
)
FAULT_KEYS = {"route", "status", "times", "retry_after", "delay", "drop", "after", "shield"}

Handler = Callable[[Request], Awaitable[Response]]


class DroppedConnection(Response):
    """Starts a response, then fails: the server closes the connection mid-answer (a reset for the client)."""

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
        raise ConnectionAbortedError("emulator fault: connection dropped")


def validate_fault(spec: Any) -> dict[str, Any]:
    if not isinstance(spec, dict) or not set(spec) <= FAULT_KEYS or spec.get("route") not in ROUTES:
        raise ValueError(f"a fault is an object with route in {', '.join(ROUTES)} and keys {sorted(FAULT_KEYS)}")
    fault = {"times": 1, "status": None, "retry_after": None, "delay": 0.0, "drop": False, "after": False}
    fault |= {"shield": False} | spec
    if fault["status"] is None and not fault["drop"] and not fault["delay"]:
        raise ValueError("a fault needs status, delay or drop")
    return fault


def _take_fault(state: EmulatorState, name: str, after: bool) -> dict[str, Any] | None:
    with state.lock:
        for fault in state.faults:
            if fault["route"] == name and bool(fault["after"]) == after and fault["times"] != 0:
                if fault["times"] > 0:
                    fault["times"] -= 1
                return dict(fault)
    return None


async def _apply(fault: dict[str, Any]) -> Response | None:
    if fault["delay"]:
        await asyncio.sleep(float(fault["delay"]))
    if fault["drop"]:
        return DroppedConnection()
    if fault["status"] is not None:
        headers = {"Retry-After": str(fault["retry_after"])} if fault["retry_after"] is not None else {}
        body = {"error": "emulated_fault", "message": f"emulated HTTP {fault['status']}"}
        return JSONResponse(body, status_code=int(fault["status"]), headers=headers)
    return None


async def _delayed(fault: dict[str, Any], handler: Handler, request: Request, entry: dict[str, Any]) -> Response:
    await asyncio.sleep(float(fault["delay"]))
    response = await handler(request)
    entry["status"], entry["done"] = response.status_code, time.time()
    return response


def note(request: Request, key: str, value: Any) -> None:
    """Add ``key`` to the request's log entry (a fact of the emulated Idura, never a body, header or secret)."""
    entry = getattr(request.state, "log_entry", None)
    if entry is not None:
        entry[key] = value


def route(name: str) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapped(request: Request) -> Response:
            state: EmulatorState = request.app.state.emulator
            entry = {
                "time": time.time(),
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,  # the find's realm: tests running side by side tell theirs apart
                "route": name,
                "status": None,
                "fault": None,
            }
            with state.lock:
                state.requests.append(entry)
            request.state.log_entry = entry
            response: Response | None = None
            before = _take_fault(state, name, after=False)
            if before and before["shield"]:
                entry["fault"] = "before, shielded"
                await request.body()  # read now: the client may be gone when the work runs
                # Delay and handle in a task of its own: a client that gives up does not cancel the work.
                work = asyncio.ensure_future(_delayed(before, handler, request, entry))
                return await asyncio.shield(work)
            if before:
                entry["fault"] = "before"
                response = await _apply(before)
            if response is None:
                response = await handler(request)
                after = _take_fault(state, name, after=True)
                if after:
                    entry["fault"] = "after"
                    response = await _apply(after) or response
            entry["status"] = "dropped" if isinstance(response, DroppedConnection) else response.status_code
            entry["done"] = time.time()  # with "time": proves that requests overlapped
            return response

        return wrapped

    return decorate
