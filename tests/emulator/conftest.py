"""The emulator in-process (Starlette TestClient): its contract and OIDC behaviour, without a server."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from idura_verify.emulator.app import create_app
from idura_verify.program.environment import EMULATOR_TENANT
from idura_verify.program.management import ManagementClient, Response, Transport
from tests.support.inprocess_emulator import ADMIN, DOMAIN, REALM, REDIRECT, TOKEN


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


class InProcessTransport(Transport):
    """The management client's transport answered by the in-process emulator: the real client against the real
    emulator, without a server process."""

    def __init__(self, http: TestClient) -> None:
        self.http = http

    def send(self, method, url, headers, body):
        answer = self.http.request(method, url, headers=headers, content=body)
        received = {name.lower(): value for name, value in answer.headers.items()}
        return Response(answer.status_code, received, answer.content, answer.reason_phrase)


@pytest.fixture
def management_client(emulator):
    """A fresh management client (one program run) against the in-process emulator, per call."""

    def make() -> ManagementClient:
        transport = InProcessTransport(emulator)
        return ManagementClient("https://testserver/management/v1", TOKEN, EMULATOR_TENANT, transport=transport)

    return make


@pytest.fixture
def register(emulator):
    """Hold applications in the emulator as /_emulator/register does: ``register(domain, realm, ...)`` one, or
    ``register.many(domain, realms)`` several at once (without secrets)."""

    class Register:
        def __call__(self, domain: str, realm: str, **extra) -> dict:
            body = {"domain": domain, "realm": realm, "returnUrls": [REDIRECT], "secret": "s" * 44, **extra}
            response = emulator.post("/_emulator/register", headers=ADMIN, json=body)
            assert response.status_code == 201, response.text
            return response.json()

        def many(self, domain: str, realms: list[str]) -> list[dict]:
            bodies = [{"domain": domain, "realm": r, "returnUrls": [REDIRECT]} for r in realms]
            response = emulator.post("/_emulator/register", headers=ADMIN, json=bodies)
            assert response.status_code == 201, response.text
            return response.json()

    return Register()
