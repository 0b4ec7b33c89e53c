"""The emulator implements docs/idura-management-api.md: find, create, update, issue secret, delete, errors."""

from __future__ import annotations

import hashlib

import pytest

from tests.support.inprocess_emulator import ADMIN, DOMAIN, REALM, REDIRECT


def test_bearer_token_is_required(emulator):
    response = emulator.get(f"/management/v1/domains/{DOMAIN}/applications", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized", "message": "missing or invalid bearer token"}


def test_find_create_conflict(manage):
    assert manage("GET", params={"realm": REALM}).json() == {"applications": [], "links": []}
    created = manage("POST", json={"realm": REALM, "name": "Test", "returnUrls": [REDIRECT]})
    assert created.status_code == 201
    app = created.json()
    assert app["realm"] == REALM and app["returnUrls"] == [REDIRECT]
    assert app["oauth2"] == {"codeFlow": True, "userInfoResponseStrategy": "plainJson", "clientSecretId": None}
    assert manage("GET", params={"realm": REALM}).json()["applications"][0]["id"] == app["id"]
    conflict = manage("POST", json={"realm": REALM, "name": "Again", "returnUrls": []})
    assert conflict.status_code == 409 and conflict.json()["error"] == "conflict"


def test_update_is_idempotent_and_validates(manage, application):
    app, _ = application
    body = {
        "returnUrls": [REDIRECT, "https://other.example/cb"],
        "oauth2": {"userInfoResponseStrategy": "signedJwt"},
    }
    first, second = (
        manage("PATCH", f"/{app['id']}", json=body).json(),
        manage("PATCH", f"/{app['id']}", json=body).json(),
    )
    assert first == second
    assert first["oauth2"]["userInfoResponseStrategy"] == "signedJwt"
    bad = manage("PATCH", f"/{app['id']}", json={"returnUrls": ["http://plain.example"]})
    assert bad.status_code == 400


def test_each_issued_secret_replaces_the_previous_and_only_a_hash_is_kept(emulator, manage, application):
    app, first = application
    again = manage("POST", f"/{app['id']}/client-secret").json()
    assert again["clientSecret"] != first and again["clientSecretId"].startswith("sec_")
    state = emulator.get("/_emulator/state", headers=ADMIN).json()["applications"][0]
    assert state["secretSha256"] == hashlib.sha256(again["clientSecret"].encode()).hexdigest()
    assert first not in str(state) and again["clientSecret"] not in str(state)


def test_delete_then_404(manage, application):
    app, _ = application
    assert manage("DELETE", f"/{app['id']}").status_code == 204
    assert manage("GET", f"/{app['id']}").status_code == 404
    assert manage("DELETE", f"/{app['id']}").status_code == 404


def test_faults_status_retry_after_and_count(emulator, manage):
    emulator.post(
        "/_emulator/faults", headers=ADMIN, json={"route": "find", "status": 429, "retry_after": 2, "times": 2}
    )
    assert manage("GET").status_code == 429
    throttled = manage("GET")
    assert throttled.headers["retry-after"] == "2"
    assert manage("GET").status_code == 200
    log = [
        (r["route"], r["status"], r["fault"])
        for r in emulator.get("/_emulator/requests", headers=ADMIN).json()["requests"]
    ]
    assert log == [("find", 429, "before"), ("find", 429, "before"), ("find", 200, None)]


def test_fault_after_the_handler_changes_state_but_loses_the_answer(emulator, manage):
    emulator.post("/_emulator/faults", headers=ADMIN, json={"route": "create", "status": 502, "after": True})
    lost = manage("POST", json={"realm": REALM, "name": "Test", "returnUrls": [REDIRECT]})
    assert lost.status_code == 502
    assert len(manage("GET", params={"realm": REALM}).json()["applications"]) == 1


def test_request_log_never_holds_bodies_or_headers(emulator, application):
    _, secret = application
    log = emulator.get("/_emulator/requests", headers=ADMIN).text
    assert secret not in log and "Bearer" not in log


def test_admin_controls_need_the_emulator_token(emulator):
    for method, path in (
        ("get", "/_emulator/state"),
        ("put", "/_emulator/settings"),
        ("delete", "/_emulator/faults"),
    ):
        response = getattr(emulator, method)(path)
        assert response.status_code == 401, path
        assert response.json()["error"] == "unauthorized"


def test_a_secret_is_issued_only_while_it_replaces_the_current_one(manage, application):
    app, _ = application
    current = manage("GET", f"/{app['id']}").json()["oauth2"]["clientSecretId"]
    stale = manage("POST", f"/{app['id']}/client-secret", json={"replaces": "sec_older"})
    assert stale.status_code == 409 and stale.json()["error"] == "secret_changed"
    assert manage("GET", f"/{app['id']}").json()["oauth2"]["clientSecretId"] == current  # nothing changed
    fresh = manage("POST", f"/{app['id']}/client-secret", json={"replaces": current})
    assert fresh.status_code == 200 and fresh.json()["clientSecretId"] != current


def test_without_the_unique_realm_guard_every_create_succeeds(emulator, manage):
    """The switch the race test uses to prove its creates really overlap (tests/integration)."""
    emulator.put("/_emulator/settings", headers=ADMIN, json={"uniqueRealms": False})
    for _ in range(2):
        assert manage("POST", json={"realm": REALM, "name": "Twice", "returnUrls": [REDIRECT]}).status_code == 201
    assert len(manage("GET", params={"realm": REALM}).json()["applications"]) == 2


def test_the_request_log_records_arrival_and_completion(emulator, manage):
    manage("GET")
    (entry,) = emulator.get("/_emulator/requests", headers=ADMIN).json()["requests"]
    assert entry["time"] <= entry["done"]


def test_a_local_server_never_imports_a_module_from_the_current_folder(tmp_path):
    """`idura-cognito demo` starts the emulator (which holds the management token) from the user's folder: a
    `trustme.py` there must not run inside it."""
    import subprocess
    import sys

    marker = tmp_path / "imported"
    (tmp_path / "trustme.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise ImportError('planted')\n")
    probe = (
        "from pathlib import Path\n"
        "from idura_cognito.local.processes import start_idura_emulator\n"
        "emulator = start_idura_emulator(Path('state'), token='t')\n"
        "emulator.stop()\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_discovery_leads_from_the_root_to_the_domain_s_applications_for_the_tenant_only(emulator):
    """The evidence's shape (docs/idura-management-api.md): root -> easyid:tenant-domains ({tenantId} = base64 of
    urn:grn:easyid:tenant:<id>) -> the domain's easyid:applications link."""
    from idura_verify.program import discovery
    from idura_verify.program.environment import EMULATOR_TENANT

    root = emulator.get("/management/v1", headers=ADMIN).json()
    href = discovery.tenant_domains_href(root, EMULATOR_TENANT)
    domains = emulator.get(href, headers=ADMIN).json()
    assert discovery.applications_href(domains, DOMAIN, EMULATOR_TENANT) == (
        f"https://{DOMAIN}/management/v1/domains/{DOMAIN}/applications"
    )
    other = emulator.get(discovery.tenant_domains_href(root, "someone-else"), headers=ADMIN)
    assert other.status_code == 403


def test_the_collection_ignores_a_realm_filter_and_a_create_needs_the_vendor_media_type(emulator, manage):
    manage("POST", json={"realm": REALM, "name": "One", "returnUrls": [REDIRECT]})
    manage("POST", json={"realm": REALM + ":two", "name": "Two", "returnUrls": [REDIRECT]})
    listed = manage("GET", params={"realm": REALM}).json()["applications"]
    assert len(listed) == 2  # the client must filter: a server filter is not part of the evidence
    plain = emulator.post(
        f"/management/v1/domains/{DOMAIN}/applications", headers=ADMIN, json={"realm": "urn:x", "returnUrls": []}
    )
    assert plain.status_code == 415


OTHER_DOMAIN = "acme-other.idura.broker"


def test_a_client_id_another_domain_of_the_tenant_holds_is_refused_with_its_own_code(emulator, manage, register):
    """docs verify/guides/production.mdx:36-37: "The Client ID must be unique; it cannot be the same as any of your
    other applications" (the contract follows it across the tenant's domains)."""
    register(OTHER_DOMAIN, REALM)
    refused = manage("POST", json={"realm": REALM, "name": "Here", "returnUrls": [REDIRECT]})
    assert refused.status_code == 409 and refused.json()["error"] == "realm_taken"
    assert "another domain" in refused.json()["message"]
    assert manage("GET").json()["applications"] == []  # nothing was made on this domain
    same = manage("POST", json={"realm": REALM + ":here", "name": "Here", "returnUrls": [REDIRECT]})
    again = manage("POST", json={"realm": REALM + ":here", "name": "Twice", "returnUrls": [REDIRECT]})
    assert same.status_code == 201 and again.status_code == 409 and again.json()["error"] == "conflict"


def test_the_tenant_s_domains_list_the_other_domains_that_hold_applications(emulator, register):
    from idura_verify.program import discovery
    from idura_verify.program.environment import EMULATOR_TENANT

    register(OTHER_DOMAIN, REALM)
    root = emulator.get("/management/v1", headers=ADMIN).json()
    domains = emulator.get(discovery.tenant_domains_href(root, EMULATOR_TENANT), headers=ADMIN).json()
    assert [d["name"] for d in domains["domains"]] == [DOMAIN, OTHER_DOMAIN]
    href = discovery.applications_href(domains, OTHER_DOMAIN, EMULATOR_TENANT)
    assert [a["realm"] for a in emulator.get(href, headers=ADMIN).json()["applications"]] == [REALM]


def test_the_client_names_a_client_id_another_application_of_the_tenant_uses(management_client, register):
    from idura_verify.program.management import ClientIdTaken

    register(OTHER_DOMAIN, REALM)
    with pytest.raises(ClientIdTaken) as caught:
        management_client().create(DOMAIN, realm=REALM, name="Here", return_urls=[REDIRECT])
    assert str(caught.value) == (
        f"client id {REALM!r} is used by another application of the tenant (not on {DOMAIN}): Idura requires a "
        "client id unique across the tenant's applications; choose another idura.client_id or remove the other "
        "application in Idura's dashboard"
    )


def test_the_client_treats_a_conflict_on_the_same_domain_as_exists(management_client, manage):
    made = manage("POST", json={"realm": REALM, "name": "First", "returnUrls": [REDIRECT]}).json()
    app, created = management_client().create(DOMAIN, realm=REALM, name="Second", return_urls=[REDIRECT])
    assert (app.id, created) == (made["id"], False)
