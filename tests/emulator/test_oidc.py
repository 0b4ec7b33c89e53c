"""The OIDC side behaves as Idura documents: discovery, JWKS, authorize, token, userinfo strategies."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
from joserfc import jwe, jwt
from joserfc.jwk import KeySet

from tests.support.inprocess_emulator import ADMIN, REALM, REDIRECT

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


def test_jwks_holds_several_rsa_keys_with_idura_shaped_kids_on_both_paths(emulator):
    keys = emulator.get("/.well-known/jwks").json()["keys"]
    assert len(keys) == 2  # Idura announces a key of MitID's own beside the one for other eIDs
    for key in keys:
        assert key["kty"] == "RSA" and "d" not in key
        assert len(key["kid"]) == 40 and key["kid"] == key["kid"].upper() and int(key["kid"], 16) >= 0
    assert emulator.get("/.well-known/jwks.json").json()["keys"] == keys  # the path Idura's Android SDK reads


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
    emulator.patch(
        f"/_emulator/applications/testserver/{REALM}", headers=ADMIN, json={"userInfoResponseStrategy": strategy}
    )
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


def _id_token(emulator, application, **params):
    _, secret = application
    body = token(emulator, code_from(authorize(emulator, **params)), secret).json()
    header = json.loads(base64.urlsafe_b64decode(body["id_token"].split(".")[0] + "=="))
    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    return header["kid"], jwt.decode(body["id_token"], keys).claims


def test_mitid_logins_are_signed_with_their_own_key(emulator, application):
    mitid_kid, _ = _id_token(emulator, application, acr_values=MITID)
    bankid_kid, _ = _id_token(emulator, application, acr_values="urn:grn:authn:se:bankid")
    assert mitid_kid != bankid_kid


def test_discovery_is_shaped_like_idura_s(emulator):
    doc = emulator.get("/.well-known/openid-configuration").json()
    # What criipto-auth.js and AppAuth read (docs/idura-fidelity.md).
    for field in (
        "issuer",
        "authorization_endpoint",
        "pushed_authorization_request_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "end_session_endpoint",
        "jwks_uri",
        "response_types_supported",
        "response_modes_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
        "acr_values_supported",
    ):
        assert doc[field], field
    assert doc["response_modes_supported"] == ["query", "form_post", "fragment"]
    assert MITID in doc["acr_values_supported"] and "urn:age-verification" in doc["acr_values_supported"]


def test_discovery_lists_only_the_enabled_eids_and_authorize_refuses_others(emulator, application):
    emulator.put("/_emulator/eids", headers=ADMIN, json=[MITID])
    assert emulator.get("/.well-known/openid-configuration").json()["acr_values_supported"] == [MITID]
    refused = authorize(emulator, path=f"/{NO_BANKID_PATH}/oauth2/authorize")
    assert refused.status_code == 302  # as an OIDC provider: an error redirect, never a code
    query = parse_qs(urlsplit(refused.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["st-1"] and "code" not in query
    assert "urn:grn:authn:no:bankid is not enabled" in query["error_description"][0]
    assert code_from(authorize(emulator, acr_values=MITID))


@pytest.mark.parametrize(
    ("acr", "scheme", "present", "absent"),
    [
        (MITID, "dkmitid", {"name", "birthdate"}, {"given_name", "family_name", "cprNumberIdentifier"}),
        ("urn:grn:authn:se:bankid", "sebankid", {"name", "given_name", "family_name", "ssn"}, {"birthdate"}),
        ("urn:grn:authn:no:vipps", "novippslogin", {"name", "given_name", "birthdate"}, {"socialno"}),
        ("urn:grn:authn:no:bankid", "nobankid-oidc", {"name", "given_name", "birthdate"}, {"socialno"}),
        ("urn:grn:authn:no:vipps", "novippslogin", {"emailaddress", "mobilephone", "address"}, {"email"}),
        ("urn:grn:authn:dk:mitid:business", "dkmitid", {"cvrNumberIdentifier", "2.5.4.10", "employee"}, {"birthdate"}),
        # Without scopes: Freja only sub, the Personalausweis a pseudonym, iDIN Safe login.
        ("urn:grn:authn:se:frejaid", "sefrejaid", set(), {"given_name", "emailaddress", "birthdate", "name"}),
        ("urn:grn:authn:de:personalausweis", "deadesso", set(), {"given_name", "family_name", "name"}),
        ("urn:grn:authn:nl:idin", "nlidin", {"country"}, {"family_name", "birthdate", "email"}),
        ("urn:grn:authn:fi:bank-id", "fitupas", {"name", "hetu"}, set()),
    ],
)
def test_each_eid_sends_the_claims_its_documented_payload_has(emulator, application, acr, scheme, present, absent):
    _, claims = _id_token(emulator, application, acr_values=acr)
    assert claims["identityscheme"] == scheme and claims["authenticationtype"] == acr
    assert present <= set(claims) and not (absent & set(claims))
    assert claims["sub"].startswith("{") and len(claims["nameidentifier"]) == 32


def test_the_ssn_scope_adds_the_national_id(emulator, application):
    _, claims = _id_token(emulator, application, acr_values=MITID, scope="openid ssn")
    assert claims["cprNumberIdentifier"]


def test_an_eid_s_scopes_add_its_claims(emulator, application):
    _, freja = _id_token(
        emulator, application, acr_values="urn:grn:authn:se:frejaid", scope="openid frejaid:email_address"
    )
    assert freja["emailaddress"] and "given_name" not in freja
    _, ausweis = _id_token(
        emulator, application, acr_values="urn:grn:authn:de:personalausweis", scope="openid odis:Profile2"
    )
    assert {"given_name", "family_name", "nationality", "address"} <= set(ausweis)


def test_age_verification_s_sub_is_random_on_every_login(emulator, application):
    first = _id_token(emulator, application, acr_values="urn:age-verification")[1]
    second = _id_token(emulator, application, acr_values="urn:age-verification")[1]
    assert first["sub"] != second["sub"] and "identityscheme" not in first
    assert first["http://ageverification.criipto.com"]["is_over_18"] is True


def test_secrets_look_like_idura_s(manage, application):
    app, first = application
    import re

    for secret in (first, manage("POST", f"/{app['id']}/client-secret").json()["clientSecret"]):
        assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", secret)
        assert "+" in secret and "/" in secret  # every path that carries one meets these characters


def test_basic_auth_accepts_the_urlencoded_and_the_raw_secret(emulator, application):
    """Idura's docs say urlencode before base64; its own JS libraries send the secret raw. A raw '+' must not
    turn into a space."""
    _, secret = application
    encoded = token(emulator, code_from(authorize(emulator)), secret, basic=True)
    raw = base64.b64encode(f"{quote_plus(REALM)}:{secret}".encode()).decode()
    form = {"grant_type": "authorization_code", "code": code_from(authorize(emulator)), "redirect_uri": REDIRECT}
    unencoded = emulator.post("/oauth2/token", data=form, headers={"Authorization": f"Basic {raw}"})
    assert encoded.status_code == 200 and unencoded.status_code == 200


def test_end_session_returns_to_a_registered_url_only(emulator, application):
    """More in test_sso.py: which application's URLs are checked, and the session it ends."""
    code_from(authorize(emulator))  # the SSO session knows the application
    back = emulator.get("/oauth2/logout", params={"post_logout_redirect_uri": REDIRECT}, follow_redirects=False)
    assert back.status_code == 302 and back.headers["location"].startswith(REDIRECT)
    elsewhere = emulator.get(
        "/oauth2/logout", params={"post_logout_redirect_uri": "https://evil.example/", "client_id": REALM}
    )
    assert elsewhere.status_code == 400 and "location" not in elsewhere.headers
