"""The OIDC side behaves as Idura documents: discovery, JWKS, authorize, token, userinfo strategies."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
from joserfc import jwe, jwt
from joserfc.jwk import KeySet

from tests.emulator.conftest import REALM, REDIRECT

MITID = "urn:grn:authn:dk:mitid:substantial"
NO_BANKID_PATH = "dXJuOmdybjphdXRobjpubzpiYW5raWQ="  # urn:grn:authn:no:bankid


def authorize(emulator, path="/oauth2/authorize", **params):
    query = {
        "client_id": REALM,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid",
        "state": "st-1",
        "nonce": "n-1",
    } | params
    return emulator.get(path, params=query, follow_redirects=False)


def code_from(response) -> str:
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def token(emulator, code, secret, *, basic=False, client_id=REALM):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if basic:  # Idura: form-urlencode id and secret before base64
        raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
        return emulator.post(
            "/oauth2/token", data=form, headers={"Authorization": "Basic " + base64.b64encode(raw).decode()}
        )
    return emulator.post("/oauth2/token", data=form | {"client_id": client_id, "client_secret": secret})


def test_discovery_issuer_is_the_bare_base_url(emulator):
    doc = emulator.get("/.well-known/openid-configuration").json()
    assert doc["issuer"] == "https://testserver"
    assert doc["token_endpoint"] == "https://testserver/oauth2/token"
    assert set(doc["token_endpoint_auth_methods_supported"]) >= {"client_secret_post", "client_secret_basic"}


def test_acr_path_discovery_points_authorize_at_the_pinned_path(emulator):
    doc = emulator.get(f"/{NO_BANKID_PATH}/.well-known/openid-configuration").json()
    assert doc["issuer"] == "https://testserver"
    assert doc["authorization_endpoint"] == f"https://testserver/{NO_BANKID_PATH}/oauth2/authorize"
    assert emulator.get("/not-base64!/.well-known/openid-configuration").status_code == 404


def test_jwks_is_rsa_with_a_40_hex_kid(emulator):
    (key,) = emulator.get("/.well-known/jwks").json()["keys"]
    assert key["kty"] == "RSA" and len(key["kid"]) == 40 and "d" not in key


def test_authorize_echoes_state_and_rejects_unregistered_redirects(emulator, application):
    location = authorize(emulator).headers["location"]
    assert location.startswith(REDIRECT + "?") and "state=st-1" in location
    bad = authorize(emulator, redirect_uri="https://evil.example/cb")
    assert bad.status_code == 400 and "location" not in bad.headers


@pytest.mark.parametrize("basic", [False, True], ids=["client_secret_post", "client_secret_basic"])
def test_code_flow_with_both_client_auth_methods(emulator, application, basic):
    _, secret = application
    response = token(emulator, code_from(authorize(emulator)), secret, basic=basic)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == "120"  # a string, like Idura
    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    claims = jwt.decode(body["id_token"], keys).claims
    assert claims["iss"] == "https://testserver" and claims["aud"] == REALM and claims["nonce"] == "n-1"


def test_wrong_secret_and_reused_code_are_rejected(emulator, application):
    _, secret = application
    code = code_from(authorize(emulator))
    assert token(emulator, code, secret + "x").status_code == 401
    assert token(emulator, code, secret).status_code == 200
    reused = token(emulator, code, secret)
    assert reused.status_code == 400 and reused.json()["error_description"] == "Unknown Access Code"


def test_acr_from_path_and_from_acr_values(emulator, application):
    _, secret = application
    pinned = token(emulator, code_from(authorize(emulator, path=f"/{NO_BANKID_PATH}/oauth2/authorize")), secret)
    by_value = token(emulator, code_from(authorize(emulator, acr_values=MITID)), secret)
    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    assert jwt.decode(pinned.json()["id_token"], keys).claims["identityscheme"] == "nobankid-oidc"
    assert jwt.decode(by_value.json()["id_token"], keys).claims["authenticationtype"] == MITID


def _userinfo(emulator, application, strategy):
    app, secret = application
    emulator.patch(f"/_emulator/applications/testserver/{REALM}", json={"userInfoResponseStrategy": strategy})
    access = token(emulator, code_from(authorize(emulator)), secret).json()["access_token"]
    return emulator.get("/oauth2/userinfo", headers={"Authorization": f"Bearer {access}"})


def test_userinfo_plain_json(emulator, application):
    response = _userinfo(emulator, application, "plainJson")
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["name"] == "Test Testersen"


def test_userinfo_signed_jwt(emulator, application):
    response = _userinfo(emulator, application, "signedJwt")
    assert response.headers["content-type"] == "application/jwt"
    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    assert jwt.decode(response.text, keys).claims["name"] == "Test Testersen"


def test_userinfo_signed_and_encrypted_jwt(emulator, application):
    response = _userinfo(emulator, application, "signedAndEncryptedJwt")
    assert response.headers["content-type"] == "application/jwt"
    assert response.text.count(".") == 4  # compact JWE
    key = emulator.app.state.encryption_key
    inner = jwe.decrypt_compact(response.text, key, algorithms=["RSA-OAEP-256", "A256GCM"]).plaintext.decode()
    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    assert jwt.decode(inner, keys).claims["name"] == "Test Testersen"


def test_userinfo_from_token_endpoint_fails_at_userinfo(emulator, application):
    response = _userinfo(emulator, application, "fromTokenEndpoint")
    assert response.status_code == 401 and response.json()["error_description"] == "Unknown Access Code"
