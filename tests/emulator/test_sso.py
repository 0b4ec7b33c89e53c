"""Idura's SSO session and sign-out as the emulator models them (docs verify/guides/sso.mdx; docs/idura-fidelity.md):
a session per domain in an HttpOnly cookie, logins for the same eID method completed from it, ``prompt``, and
``/oauth2/logout`` that returns only to a callback URL of the application."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.emulator.test_oidc import MITID, authorize, code_from, token
from tests.support.inprocess_emulator import ADMIN, REALM, REDIRECT

SE_BANKID = "urn:grn:authn:se:bankid"
SIGNED_OUT = "https://acme.example/signed-out"


def _log(emulator, route: str) -> list[str]:
    """The ``sso`` fact of each request to ``route``, in order."""
    log = emulator.get("/_emulator/requests", headers=ADMIN).json()["requests"]
    return [r.get("sso") for r in log if r["route"] == route]


def _logout(emulator, **params):
    return emulator.get("/oauth2/logout", params=params, follow_redirects=False)


@pytest.fixture
def signed_out_registered(emulator, application):
    """The application also lists a post-logout URL among its callback URLs (Idura's one list, research Q8)."""
    emulator.patch(
        f"/_emulator/applications/testserver/{REALM}", headers=ADMIN, json={"returnUrls": [REDIRECT, SIGNED_OUT]}
    )
    return application


def test_a_second_login_for_the_same_eid_completes_from_the_session(emulator, application):
    first = authorize(emulator, acr_values=MITID)
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=none" in cookie and "Path=/" in cookie
    assert code_from(authorize(emulator, acr_values=MITID))
    assert _log(emulator, "authorize") == ["person authenticated", "completed from session"]


def test_the_session_logs_in_as_the_same_person(emulator, application):
    _, secret = application
    from joserfc import jwt
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(emulator.get("/.well-known/jwks").json())
    subjects = [
        jwt.decode(token(emulator, code_from(authorize(emulator)), secret).json()["id_token"], keys).claims["sub"]
        for _ in range(2)
    ]
    assert subjects[0] == subjects[1] and _log(emulator, "authorize")[1] == "completed from session"


def test_another_eid_method_asks_the_person_again(emulator, application):
    authorize(emulator, acr_values=MITID)
    authorize(emulator, acr_values=SE_BANKID)
    authorize(emulator, acr_values=SE_BANKID)
    assert _log(emulator, "authorize") == ["person authenticated", "person authenticated", "completed from session"]


def test_prompt_login_makes_the_person_authenticate_again(emulator, application):
    authorize(emulator)
    assert code_from(authorize(emulator, prompt="login"))
    assert _log(emulator, "authorize") == ["person authenticated", "person authenticated"]


def test_prompt_none_answers_login_required_without_a_session(emulator, application):
    silent = authorize(emulator, prompt="none")
    query = parse_qs(urlsplit(silent.headers["location"]).query)
    assert query["error"] == ["login_required"] and query["state"] == ["st-1"] and "code" not in query
    authorize(emulator)
    assert code_from(authorize(emulator, prompt="none"))
    assert _log(emulator, "authorize") == ["login required", "person authenticated", "completed from session"]


def test_without_sso_on_the_domain_every_login_asks_the_person(emulator, application):
    emulator.put("/_emulator/settings", headers=ADMIN, json={"sso": False})
    assert "set-cookie" not in authorize(emulator).headers
    authorize(emulator)
    assert _log(emulator, "authorize") == ["person authenticated", "person authenticated"]


def test_the_session_belongs_to_its_domain(emulator, application):
    emulator.post(
        "/_emulator/register",
        headers=ADMIN,
        json={"domain": "other.example", "realm": "urn:other", "returnUrls": [REDIRECT], "secret": "s" * 44},
    )
    session = authorize(emulator).cookies["idura_emulator_sso"]
    # testserver's cookie, sent along to another domain of the tenant: not honoured there.
    query = {"client_id": "urn:other", "redirect_uri": REDIRECT, "response_type": "code", "scope": "openid"}
    elsewhere = emulator.get(
        "/oauth2/authorize",
        params=query,
        headers={"host": "other.example", "cookie": f"idura_emulator_sso={session}"},
        follow_redirects=False,
    )
    assert code_from(elsewhere)
    assert _log(emulator, "authorize") == ["person authenticated", "person authenticated"]


def test_sign_out_ends_the_session_and_returns_to_a_callback_url_with_state(emulator, signed_out_registered):
    session = authorize(emulator).cookies["idura_emulator_sso"]
    back = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, state="bye-1")
    assert back.status_code == 302 and back.headers["location"] == f"{SIGNED_OUT}?state=bye-1"
    assert "idura_emulator_sso=" in back.headers["set-cookie"] and "Max-Age=0" in back.headers["set-cookie"]
    emulator.cookies.set("idura_emulator_sso", session)  # the old cookie, kept by a browser: it is dead at Idura
    authorize(emulator)
    assert _log(emulator, "logout") == ["session ended"]
    assert _log(emulator, "authorize") == ["person authenticated", "person authenticated"]


def test_sign_out_never_redirects_to_a_url_the_application_does_not_list(emulator, signed_out_registered):
    authorize(emulator)
    refused = _logout(emulator, post_logout_redirect_uri="https://evil.example/", state="bye-1")
    assert refused.status_code == 400 and "location" not in refused.headers
    assert "not a callback URL of the application" in refused.text
    assert _log(emulator, "logout") == ["session ended"]  # signed out all the same (assumption, fidelity doc)


def test_sign_out_checks_the_url_against_the_application_it_names(emulator, signed_out_registered):
    emulator.post(
        "/_emulator/register",
        headers=ADMIN,
        json={"domain": "testserver", "realm": "urn:plain", "returnUrls": [REDIRECT], "secret": "s" * 44},
    )
    by_id = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, client_id=REALM)
    assert by_id.status_code == 302  # no session needed: client_id names the application
    other = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, client_id="urn:plain")
    assert other.status_code == 400 and "location" not in other.headers  # registered on REALM, not on urn:plain
    unknown = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, client_id="urn:nobody")
    assert unknown.status_code == 400 and "unknown client_id" in unknown.text


def test_sign_out_finds_the_application_from_id_token_hint(emulator, signed_out_registered):
    _, secret = signed_out_registered
    id_token = token(emulator, code_from(authorize(emulator)), secret).json()["id_token"]
    emulator.cookies.clear()  # the hint alone must name the application
    assert _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, id_token_hint=id_token).status_code == 302
    forged = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT, id_token_hint=id_token[:-4] + "AAAA")
    assert forged.status_code == 400 and "location" not in forged.headers


def test_sign_out_without_session_client_id_or_hint_does_not_redirect(emulator, signed_out_registered):
    refused = _logout(emulator, post_logout_redirect_uri=SIGNED_OUT)
    assert refused.status_code == 400 and "location" not in refused.headers
    assert _log(emulator, "logout") == ["no session"]
    assert _logout(emulator).status_code == 200  # no return URL asked for: a plain page
