"""Register an application at the local Idura emulator as a person does in Idura's dashboard.

Against Idura itself a person registers the application in the dashboard (docs verify/integrations/
aws-cognito.mdx:18-26): a client id, a name, the callback URLs, "Enable OAuth2 Code Flow" (the client secret is
shown once, docs snippets/oauth2-code-flow.mdx:7) and the user info response strategy plainJson. The emulator's
stand-in for those clicks is ``POST /_emulator/dashboard/applications`` (it needs the emulator's token); this
module calls it, so a local hand-registered setup (the dashboard, then ``secret put``) can be shown end to end.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from pathlib import Path

import httpx

PATH = "/_emulator/dashboard/applications"


class DashboardError(Exception):
    """The registration failed; one line naming what to fix. Never holds the token or a secret."""


def register(
    domain_url: str,
    token: str,
    client_id: str,
    name: str,
    callback_urls: Sequence[str],
    *,
    ca_file: str | Path | None = None,
    timeout: float = 10.0,
) -> str:
    """Register ``client_id`` on the emulator's domain at ``domain_url`` (``https://localhost:PORT``) and return
    its client secret, which the emulator shows this once (it keeps only a hash). ``ca_file`` is the emulator's
    throwaway CA (``IduraEmulator.ca_file``)."""
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
    body = {"clientId": client_id, "name": name, "callbackUrls": list(callback_urls)}
    try:
        with httpx.Client(verify=verify, timeout=timeout, trust_env=False) as http:
            answer = http.post(domain_url.rstrip("/") + PATH, json=body, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise DashboardError(f"cannot reach the Idura emulator at {domain_url} ({exc.__class__.__name__})") from None
    if answer.status_code == 201:
        secret = _field(answer, "clientSecret")
        if secret:
            return secret
        raise DashboardError("the Idura emulator registered the application but showed no client secret")
    if answer.status_code == 401:
        raise DashboardError("the Idura emulator refused the token (its --token or $IDURA_EMULATOR_TOKEN)")
    if answer.status_code == 409:
        raise DashboardError(
            f"client id {client_id!r} is used by another application of the tenant: client ids must be unique"
        )
    message = _field(answer, "message") or f"HTTP {answer.status_code}"
    raise DashboardError(f"the Idura emulator refused the registration: {' '.join(message.split())[:200]}")


def _field(answer: httpx.Response, key: str) -> str:
    try:
        value = answer.json().get(key)
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""
