"""The dashboard stand-in: an application registered as a person does in Idura's dashboard, its client secret
shown once (docs snippets/oauth2-code-flow.mdx:7), and idura_cognito.local.dashboard.register that calls it."""

from __future__ import annotations

import hashlib
import secrets

import pytest

from idura_cognito.local.dashboard import DashboardError, register
from tests.emulator.test_oidc import authorize, code_from, token
from tests.support.inprocess_emulator import ADMIN, DOMAIN, REALM, REDIRECT

DASHBOARD = "/_emulator/dashboard/applications"


def _register(emulator, **body):
    return emulator.post(
        DASHBOARD, headers=ADMIN, json={"clientId": REALM, "name": "Cognito", "callbackUrls": [REDIRECT]} | body
    )


def test_the_dashboard_registers_a_cognito_ready_application_and_shows_its_secret_once(emulator, manage):
    shown = _register(emulator)
    assert shown.status_code == 201
    secret = shown.json()["clientSecret"]
    assert shown.json()["clientId"] == REALM and shown.json()["domain"] == DOMAIN
    (app,) = manage("GET").json()["applications"]
    assert app["oauth2"] | {"clientSecretId": None} == {
        "codeFlow": True,
        "userInfoResponseStrategy": "plainJson",
        "clientSecretId": None,
    }
    assert app["returnUrls"] == [REDIRECT] and app["name"] == "Cognito"
    state = emulator.get("/_emulator/state", headers=ADMIN).text
    assert secret not in state and secret not in manage("GET").text  # only its hash is kept
    assert hashlib.sha256(secret.encode()).hexdigest() in state
    assert token(emulator, code_from(authorize(emulator)), secret).status_code == 200  # the secret logs in


def test_the_dashboard_refuses_a_client_id_the_tenant_already_uses(emulator):
    emulator.post(
        "/_emulator/register",
        headers=ADMIN,
        json={"domain": "acme-other.idura.broker", "realm": REALM, "returnUrls": [REDIRECT], "secret": "s" * 44},
    )
    refused = _register(emulator)
    assert refused.status_code == 409 and "another domain of the tenant" in refused.json()["message"]
    here = _register(emulator, clientId=REALM + ":here")
    again = _register(emulator, clientId=REALM + ":here")
    assert here.status_code == 201 and again.status_code == 409 and "this domain" in again.json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"clientId": ""}, "clientId"),
        ({"clientId": "urn:a\nb"}, "clientId"),
        ({"callbackUrls": []}, "callbackUrls"),
        ({"callbackUrls": ["http://plain.example/cb"]}, "callbackUrls"),
        ({"name": 7}, "name"),
    ],
)
def test_the_dashboard_names_the_field_it_refuses(emulator, body, field):
    refused = _register(emulator, **body)
    assert refused.status_code == 400 and refused.json()["message"].startswith(f"{field}: ")


def test_the_dashboard_needs_the_emulator_token(emulator):
    refused = emulator.post(DASHBOARD, json={"clientId": REALM, "callbackUrls": [REDIRECT]})
    assert refused.status_code == 401


def test_register_returns_the_secret_the_running_emulator_keeps_the_hash_of(idura, idura_admin):
    realm = f"urn:idura:test:dashboard:{secrets.token_hex(4)}"
    secret = register(idura.base_url, idura.token, realm, "Cognito", [REDIRECT], ca_file=idura.ca_file)
    app = idura_admin.application(realm)
    assert app["secretSha256"] == hashlib.sha256(secret.encode()).hexdigest()
    assert app["oauth2"]["codeFlow"] is True and app["oauth2"]["userInfoResponseStrategy"] == "plainJson"
    with pytest.raises(DashboardError, match=f"^client id '{realm}' is used by another application of the tenant"):
        register(idura.base_url, idura.token, realm, "Again", [REDIRECT], ca_file=idura.ca_file)


def test_register_errors_are_one_line_without_the_token(idura):
    wrong = "not-the-emulator-token"
    with pytest.raises(DashboardError) as refused:
        register(idura.base_url, wrong, "urn:x", "X", [REDIRECT], ca_file=idura.ca_file)
    assert "refused the token" in str(refused.value) and wrong not in str(refused.value)
    with pytest.raises(DashboardError, match="^the Idura emulator refused the registration: callbackUrls: "):
        register(idura.base_url, idura.token, "urn:x", "X", ["http://plain.example"], ca_file=idura.ca_file)
    with pytest.raises(DashboardError, match="^cannot reach the Idura emulator at https://127.0.0.1:9 "):
        register("https://127.0.0.1:9", idura.token, "urn:x", "X", [REDIRECT], ca_file=idura.ca_file)
