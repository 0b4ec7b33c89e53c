"""Idura's SSO session on one domain, as docs verify/guides/sso.mdx describes it.

- "Subsequent authentication requests on the same domain (and for the same eID method) will be completed
  automatically by Idura Verify" (L9): a session remembers the eID methods (acr values) the person used;
- the session lives in "HTTP-only, Secure cookies, created with SameSite=None ... tied to a single Idura Verify
  domain" (L13): a host-only cookie, and a session id is honoured only on the domain that made it;
- ``prompt=login`` ignores the session, ``prompt=none`` answers ``login_required`` without one (L27-30);
- SSO is set per domain in the dashboard (L19): the emulator's ``sso`` setting.

The cookie's name and lifetime are not documented (assumption: a browser-session cookie named below).
Callers hold the state's lock.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from .state import EmulatorState, SsoSession

COOKIE = "idura_emulator_sso"


def current(request: Request, state: EmulatorState, domain: str) -> SsoSession | None:
    """The person's session on ``domain`` from the request's cookie, or None (also when SSO is off)."""
    if not state.sso:
        return None
    session = state.sessions.get(request.cookies.get(COOKIE, ""))
    return session if session is not None and session.domain == domain else None


def start(state: EmulatorState, domain: str) -> SsoSession:
    session = SsoSession(secrets.token_urlsafe(24), domain)
    state.sessions[session.id] = session
    return session


def end(state: EmulatorState, session: SsoSession) -> None:
    state.sessions.pop(session.id, None)


def set_cookie(response: Response, session: SsoSession) -> None:
    response.set_cookie(COOKIE, session.id, path="/", httponly=True, secure=True, samesite="none")


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, secure=True, samesite="none")
