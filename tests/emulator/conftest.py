"""The emulator in-process (Starlette TestClient): its contract and OIDC behaviour, without a server."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from idura_verify.emulator.app import create_app
from tests.support.inprocess_emulator import DOMAIN, REALM, REDIRECT, TOKEN


@pytest.fixture
def emulator():
    with TestClient(create_app(TOKEN), base_url="https://testserver") as client:
        yield client


@pytest.fixture
def manage(emulator):
    def call(method: str, path: str = "", **kwargs):
        headers = {"Authorization": f"Bearer {TOKEN}"}
        if method == "POST" and not path:  # a create: the vendor media type, as Idura's 2018 API took it
            headers["Content-Type"] = "application/vnd.grn.easyid.application+json"
            kwargs["content"] = json.dumps(kwargs.pop("json"))
        return emulator.request(
            method, f"/management/v1/domains/{DOMAIN}/applications{path}", headers=headers, **kwargs
        )

    return call


@pytest.fixture
def application(manage):
    """A Cognito-ready application and its secret."""
    app = manage(
        "POST",
        json={
            "realm": REALM,
            "name": "Test",
            "returnUrls": [REDIRECT],
            "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson"},
        },
    ).json()
    secret = manage("POST", f"/{app['id']}/client-secret").json()["clientSecret"]
    return app, secret
