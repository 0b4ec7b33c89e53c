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
    # Idura announces several signing keys: MitID logins are signed with a key of their own (docs.idura.app,
    # verify/e-ids/danish-mitid). Key ids look like Idura's: 40 uppercase hex digits.
    app.state.signing_key = _signing_key()
    app.state.mitid_signing_key = _signing_key()
    app.state.encryption_key = RSAKey.generate_key(2048, parameters={"use": "enc", "alg": "RSA-OAEP-256"})
    return app


def _signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(20).upper(), "use": "sig", "alg": "RS256"})
