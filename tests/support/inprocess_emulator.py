"""The Idura emulator in-process (Starlette TestClient, tests/emulator/conftest.py): its token, the domain it
serves, and the application the emulator tests make."""

from __future__ import annotations

TOKEN = "IDURA-TEST-TOKEN-inprocess"
DOMAIN = "testserver"  # TestClient's host: the domain the OIDC side serves
REDIRECT = "https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
REALM = "urn:idura:test:emulator"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}  # the emulator's own controls need its token too
