"""Assemble the emulator's Starlette application."""

from __future__ import annotations

import secrets

from joserfc.jwk import RSAKey
from starlette.applications import Starlette

from . import admin_api, management_api, oidc_api
from .state import EmulatorState


def create_app(token: str) -> Starlette:
    # Admin and management routes first: the OIDC side has a catch-all /{acr64}/... prefix.
    app = Starlette(routes=[*admin_api.routes, *management_api.routes, *oidc_api.routes])
    app.state.emulator = EmulatorState(token=token)
    app.state.signing_key = RSAKey.generate_key(
        2048, parameters={"kid": secrets.token_hex(20), "use": "sig", "alg": "RS256"}
    )
    app.state.encryption_key = RSAKey.generate_key(2048, parameters={"use": "enc", "alg": "RSA-OAEP-256"})
    return app
