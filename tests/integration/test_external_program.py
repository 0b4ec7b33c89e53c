"""providers/idura_verify/program/ as Terraform runs it: `python3 <path>` from any folder, JSON on stdin,
against the Idura emulator over HTTPS. Checks the protocol, that a plain run only reads (the emulator's request
log proves it), find-or-create, updates and when secrets are issued in a run allowed to change Idura."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from idura_cognito.terraform import grant
from idura_cognito.terraform.plan_summary import IduraWork
from tests.support.idura_admin import sha256
from tests.support.program import COGNITO, run_program
from tests.support.program import environment as program_environment
from tests.support.program import query as program_query
from tests.support.secrets import TEST_TOKEN
from tests.support.terraform import ALLOW


def run(idura, tmp_path, query: dict, env: dict | None = None, raw: str | None = None, allowed: bool = True, args=()):
    environment = program_environment(idura.environment() if env is None else env, allowed=allowed)
    return run_program(query if raw is None else raw, environment, args=args, cwd=tmp_path)


def query(idura, realm: str, **overrides) -> dict:
    return program_query(idura.domain, realm, **overrides)


def result(process) -> dict:
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    out = json.loads(process.stdout)
    assert set(out) == {
        "client_id",
        "client_secret",
        "issuer",
        "application_id",
        "secret_id",
        "action",
        "pending",
        "intent",
        "inputs_digest",
    }
    assert all(isinstance(v, str) for v in out.values())
    return out


def test_create_then_unchanged_then_rotated(idura, idura_admin, tmp_path):
    realm = "urn:idura:test:program:lifecycle"
    idura_admin.clear_requests()
    created = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    assert created["action"] == "created" and created["client_secret"]
    assert created["issuer"] == f"https://{idura.domain}" and created["client_id"] == realm
    app = idura_admin.application(realm)
    assert app["returnUrls"] == [COGNITO]
    assert app["oauth2"]["codeFlow"] is True and app["oauth2"]["userInfoResponseStrategy"] == "plainJson"
    assert app["secretSha256"] == sha256(created["client_secret"])
    assert idura_admin.routes() == {"find": 1, "create": 1, "secret": 1}

    idura_admin.clear_requests()
    steady = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id=created["secret_id"])))
    assert steady == created | {"client_secret": "", "action": "unchanged", "inputs_digest": steady["inputs_digest"]}
    assert steady["pending"] == ""
    assert idura_admin.routes() == {"find": 1}  # steady state: one read, nothing issued

    rotated = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    assert rotated["action"] == "rotated" and rotated["client_secret"] not in ("", created["client_secret"])
    assert idura_admin.application(realm)["secretSha256"] == sha256(rotated["client_secret"])
    # Idura's alphabet: 44 characters of standard base64, so every path meets '+', '/' and '='.
    assert len(rotated["client_secret"]) == 44 and {"+", "/", "="} <= set(rotated["client_secret"])


def test_a_plain_run_only_reads_and_says_what_an_allowed_run_would_change(idura, idura_admin, tmp_path):
    """Every mutating path (create, add a redirect URL, repair the settings, rotate a stale secret), run without
    the switch: one find in the log and nothing else; the result and its `pending` say what would happen."""
    realm = "urn:idura:test:program:readonly"
    idura_admin.clear_requests()
    nothing = result(run(idura, tmp_path, query(idura, realm, have_secret="false"), allowed=False))
    # No secret for Cognito without a change: the plan goes on with none (Terraform's precondition stops an
    # apply of it) and says what an allowed run would do.
    assert nothing["action"] == "pending" and nothing["client_secret"] == "" and nothing["secret_id"] == ""
    assert nothing["pending"] == (  # every URL it would register is named, a new application's too
        f"would create application {realm} on {idura.domain} (code flow on, plainJson user info); would add "
        f"redirect URL {COGNITO}; would issue a new client secret: the application does not exist yet"
    )
    assert idura_admin.routes() == {"find": 1} and idura_admin.applications(realm) == []

    created = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    other = "https://someone-else.example/callback"
    idura_admin.change(realm, returnUrls=[other], userInfoResponseStrategy="signedJwt", codeFlow=False)
    before = idura_admin.application(realm)
    idura_admin.clear_requests()
    pending = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id="sec_stale"), allowed=False))
    assert pending["action"] == "pending" and pending["client_secret"] == ""
    assert pending["pending"] == (
        f"would add redirect URL {COGNITO}; would turn the OAuth2 code flow on; would set the user info strategy "
        "to plainJson; would issue a new client secret: the escrowed secret is not Idura's current one"
    )
    assert pending["secret_id"] == "sec_stale"  # the escrow keeps its own id with its own secret
    assert idura_admin.routes() == {"find": 1}
    assert idura_admin.application(realm) == before  # nothing changed at Idura
    assert created["secret_id"] == before["oauth2"]["clientSecretId"]


def test_the_switch_takes_a_branch_condition_for_terraform_cloud(idura, idura_admin, tmp_path):
    realm = "urn:idura:test:program:branch"
    q = query(idura, realm, have_secret="false")
    on_pr = {"IDURA_MANAGEMENT_ALLOW_CHANGES": "branch:main", "TFC_CONFIGURATION_VERSION_GIT_BRANCH": "feature-x"}
    assert result(run(idura, tmp_path, q, env=idura.environment() | on_pr, allowed=False))["action"] == "pending"
    assert idura_admin.applications(realm) == []
    on_main = on_pr | {"TFC_CONFIGURATION_VERSION_GIT_BRANCH": "main"}
    assert result(run(idura, tmp_path, q, env=idura.environment() | on_main, allowed=False))["action"] == "created"
    bad = run(idura, tmp_path, q, env=idura.environment() | {"IDURA_MANAGEMENT_ALLOW_CHANGES": "maybe"}, allowed=False)
    assert bad.stderr == (
        "idura_application: IDURA_MANAGEMENT_ALLOW_CHANGES must be true, false or branch:<git branch>; got a value "
        "of 5 characters\n"
    )


def _reviewed(idura, tmp_path, q: dict) -> IduraWork:
    """What deploy takes from the review plan: the read-only program's intent and inputs digest."""
    out = result(run(idura, tmp_path, q, allowed=False))
    return IduraWork(out["pending"], tuple(map(tuple, json.loads(out["intent"]))), out["inputs_digest"])


def test_a_grant_carries_out_exactly_the_reviewed_changes_once(idura, idura_admin, tmp_path):
    realm = "urn:idura:test:program:grant"
    q = query(idura, realm, have_secret="false")
    work = _reviewed(idura, tmp_path, q)
    assert work.intent == (("create_application", realm), ("add_return_url", COGNITO), ("issue_secret", ""))
    assert work.pending.startswith(f"would create application {realm} on {idura.domain} (code flow on, plainJson")
    assert idura_admin.applications(realm) == []  # the review only read
    with grant.for_one_run(work) as one_run:
        created = result(run(idura, tmp_path, q, env=idura.environment() | one_run, allowed=False))
        assert created["action"] == "created" and created["client_secret"]
        assert not Path(one_run["IDURA_COGNITO_DEPLOY_GRANT"]).exists()  # used up before the first change
        again = run(idura, tmp_path, q, env=idura.environment() | one_run, allowed=False)
    assert again.returncode == 1 and "names no grant" in again.stderr  # one time: a second run gets nothing
    assert len(idura_admin.applications(realm)) == 1


def test_a_grant_refuses_other_inputs_before_any_request(idura, idura_admin, tmp_path):
    """The repro of the review: the rendered main.tf's client_id changed after the review plan. The allowed run
    gets other inputs than the reviewed ones: it sends nothing at all, so no application `...:unreviewed`."""
    reviewed = query(idura, "urn:idura:test:program:reviewed", have_secret="false")
    work = _reviewed(idura, tmp_path, reviewed)
    idura_admin.clear_requests()
    with grant.for_one_run(work) as one_run:
        for changed in (
            reviewed | {"client_id": "urn:idura:test:program:unreviewed"},
            reviewed | {"application_name": "Renamed"},
            reviewed | {"have_secret": "true"},
        ):
            process = run(idura, tmp_path, changed, env=idura.environment() | one_run, allowed=False)
            assert process.returncode == 1 and process.stderr.count("\n") == 1
            assert "inputs differ from those of the reviewed plan" in process.stderr
    assert idura_admin.requests() == []
    assert idura_admin.applications("urn:idura:test:program:unreviewed") == []


def test_a_grant_refuses_a_change_the_review_did_not_announce(idura, idura_admin, tmp_path):
    """Idura changed between the review and the allowed run (someone turned the code flow off in the dashboard):
    the program finds it and refuses before any change."""
    realm = "urn:idura:test:program:drifted"
    created = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    q = query(idura, realm, escrowed_secret_id=created["secret_id"])
    work = _reviewed(idura, tmp_path, q)
    assert work.intent == ()
    idura_admin.change(realm, codeFlow=False)
    idura_admin.clear_requests()
    with grant.for_one_run(IduraWork("", (("issue_secret", ""),), work.inputs_digest)) as one_run:
        process = run(idura, tmp_path, q, env=idura.environment() | one_run, allowed=False)
    assert process.returncode == 1
    assert "Idura needs changes the reviewed plan did not announce (turn_on_code_flow)" in process.stderr
    assert idura_admin.routes() == {"find": 1}
    assert idura_admin.application(realm)["oauth2"]["codeFlow"] is False


@pytest.mark.parametrize("flaw", ["missing", "mode 0644", "a link", "expired", "malformed"])
def test_only_a_private_live_grant_counts(idura, idura_admin, tmp_path, flaw):
    realm = f"urn:idura:test:program:flaw-{flaw.split()[0]}"
    q = query(idura, realm, have_secret="false")
    work = _reviewed(idura, tmp_path, q)
    with grant.for_one_run(work) as one_run:
        path = Path(one_run["IDURA_COGNITO_DEPLOY_GRANT"])
        named = path
        if flaw == "missing":
            path.unlink()
        elif flaw == "mode 0644":
            path.chmod(0o644)
        elif flaw == "a link":
            named = path.with_name("link.json")
            named.symlink_to(path)
        elif flaw == "expired":
            path.write_text(json.dumps(json.loads(path.read_text()) | {"expires": 1}))
        else:
            path.write_text("{not json")
        named_env = idura.environment() | {"IDURA_COGNITO_DEPLOY_GRANT": str(named)}
        process = run(idura, tmp_path, q, env=named_env, allowed=False)
    assert process.returncode == 1 and process.stderr.startswith("idura_application: IDURA_COGNITO_DEPLOY_GRANT")
    assert idura_admin.applications(realm) == []


def test_in_a_cdktf_stack_no_environment_variable_lets_a_plain_plan_change_idura(idura, idura_admin, tmp_path):
    """`cdktf diff` and `cdktf deploy` plan and apply in one go, and a CI plan job may inherit a deploy job's
    environment: the switch, the variable 0.3 used to mark deploy's run, both together: the program with the
    CDKTF stack's flag only reads. Only a grant file that deploy writes and removes lets it change Idura."""
    realm = "urn:idura:test:program:cdktf"
    q = query(idura, realm, have_secret="false")
    flag = ["--changes-only-in-idura-cognito-deploy"]
    exported = idura.environment() | {"IDURA_MANAGEMENT_ALLOW_CHANGES": "true", "IDURA_COGNITO_DEPLOY_RUN": "1"}
    assert result(run(idura, tmp_path, q, env=exported, allowed=False, args=flag))["action"] == "pending"
    assert idura_admin.applications(realm) == []
    work = _reviewed(idura, tmp_path, q)
    with grant.for_one_run(work) as one_run:
        granted = result(run(idura, tmp_path, q, env=exported | one_run, allowed=False, args=flag))
    assert granted["action"] == "created"
    unknown = run(idura, tmp_path, q, allowed=False, args=["--allow"])
    assert unknown.returncode == 1
    assert unknown.stderr == (
        "idura_application: unknown argument '--allow'; the only one is --changes-only-in-idura-cognito-deploy\n"
    )


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.example/callback",
        "https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse/../x",
        "https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse?next=x",
        "http://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse",
    ],
)
def test_only_a_cognito_idpresponse_url_is_ever_added(idura, idura_admin, tmp_path, uri):
    idura_admin.clear_requests()
    process = run(idura, tmp_path, query(idura, "urn:idura:test:program:urls", redirect_uris=json.dumps([uri])))
    assert process.returncode == 1 and process.stderr.count("\n") == 1
    assert "exactly a Cognito redirect URL: https://<cognito domain>/oauth2/idpresponse" in process.stderr
    assert idura_admin.requests() == []


@pytest.mark.parametrize(
    ("cognito_host", "uri"),
    [
        ("acme-program.auth.eu-north-1.amazoncognito.com", "https://attacker.example/oauth2/idpresponse"),
        (
            "acme-program.auth.eu-north-1.amazoncognito.com",
            "https://other.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse",
        ),
        ("acme.amazoncognito.com", "https://acme.amazoncognito.com/oauth2/idpresponse"),  # not a Cognito prefix host
    ],
)
def test_a_redirect_url_on_another_host_than_the_stack_s_cognito_domain_is_refused(
    idura, idura_admin, tmp_path, cognito_host, uri
):
    idura_admin.clear_requests()
    q = query(idura, "urn:idura:test:program:host", redirect_uris=json.dumps([uri]), cognito_host=cognito_host)
    process = run(idura, tmp_path, q)
    assert process.returncode == 1 and process.stderr.count("\n") == 1
    assert process.stderr.startswith(
        ("idura_application: query.redirect_uris:", "idura_application: query.cognito_host:")
    )
    assert idura_admin.requests() == []


def test_an_escrowed_secret_without_an_idura_id_is_never_given_one(idura, idura_admin, tmp_path):
    """A secret put by hand on a managed stack, or an escrow from 0.1: nothing shows it is Idura's current one.
    A plain run says it would rotate (and keeps the escrow's empty id); an allowed run rotates by compare-and-swap."""
    realm = "urn:idura:test:program:noid"
    first = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    plain = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id=""), allowed=False))
    assert plain["pending"] == (
        "would issue a new client secret: the escrowed secret has no Idura id, so it cannot be shown to be the "
        "current one"
    )
    assert plain["secret_id"] == "" and plain["client_secret"] == ""
    allowed = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id="")))
    assert allowed["action"] == "rotated" and allowed["secret_id"] not in ("", first["secret_id"])
    assert idura_admin.application(realm)["oauth2"]["clientSecretId"] == allowed["secret_id"]


def test_stale_escrow_id_rotates(idura, idura_admin, tmp_path):
    realm = "urn:idura:test:program:stale"
    first = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    stale = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id="sec_from_before_a_crash")))
    assert stale["action"] == "rotated" and stale["secret_id"] != first["secret_id"]


def test_missing_redirect_and_wrong_strategy_are_fixed_without_removing_urls(idura, idura_admin, tmp_path):
    realm = "urn:idura:test:program:update"
    created = result(run(idura, tmp_path, query(idura, realm, have_secret="false")))
    other = "https://someone-else.example/callback"
    idura_admin.change(realm, returnUrls=[other], userInfoResponseStrategy="signedJwt", codeFlow=False)
    updated = result(run(idura, tmp_path, query(idura, realm, escrowed_secret_id=created["secret_id"])))
    assert updated["action"] == "updated" and updated["client_secret"] == ""
    app = idura_admin.application(realm)
    assert app["returnUrls"] == [other, COGNITO]
    assert app["oauth2"]["codeFlow"] is True and app["oauth2"]["userInfoResponseStrategy"] == "plainJson"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "idura_application: query: stdin is not a JSON object\n"),
        ("[]", "idura_application: query: stdin is not a JSON object\n"),
        ('{"idura_domain": 1}', "idura_application: query.idura_domain: must be a string\n"),
        (
            '{"extra": "x"}',
            "idura_application: query.'extra': unknown key; expected idura_domain, client_id, "
            "application_name, redirect_uris, cognito_host, have_secret, escrowed_secret_id, escrow_arn, post_logout_uris\n",
        ),
    ],
)
def test_bad_stdin_is_one_line_exit_1_and_reaches_no_server(idura, idura_admin, tmp_path, raw, message):
    idura_admin.clear_requests()
    process = run(idura, tmp_path, {}, raw=raw)
    assert process.returncode == 1 and process.stdout == ""
    assert process.stderr == message
    assert idura_admin.requests() == []


def test_missing_credentials_and_refused_token(idura, tmp_path):
    q = query(idura, "urn:idura:test:program:creds")
    missing = run(idura, tmp_path, q, env={})
    assert missing.returncode == 1
    assert (
        missing.stderr
        == "idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura management API base URL\n"
    )
    wrong = run(idura, tmp_path, q, env=idura.environment() | {"IDURA_MANAGEMENT_TOKEN": "not-the-token"})
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert "the token in IDURA_MANAGEMENT_TOKEN was refused" in wrong.stderr
    assert "not-the-token" not in wrong.stderr and TEST_TOKEN not in wrong.stderr


def test_untrusted_certificate_is_refused_with_the_fix(idura, tmp_path):
    env = idura.environment()
    del env["IDURA_CA_BUNDLE"]
    process = run(idura, tmp_path, query(idura, "urn:idura:test:program:tls"), env=env)
    assert process.returncode == 1
    assert process.stderr == (
        f"idura_application: TLS verification failed for {idura.management_url}: set IDURA_CA_BUNDLE to the CA "
        "bundle that signed its certificate\n"
    )


def test_runs_with_only_the_standard_library_and_httpx(idura, idura_admin, tmp_path):
    """No site-packages, no idura_cognito: a folder with httpx and its dependencies is all it gets."""
    import importlib.util

    libs = tmp_path / "only-httpx"
    libs.mkdir()
    for name in ("httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi", "typing_extensions"):
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (libs / source.name).symlink_to(source)
    environment = {"PATH": os.environ["PATH"], "PYTHONPATH": str(libs), **idura.environment(), **ALLOW}
    process = run_program(
        query(idura, "urn:idura:test:program:bare", have_secret="false"),
        environment,
        python=(sys.executable, "-S"),
        cwd=tmp_path,
        timeout=60,
    )
    assert result(process)["action"] == "created"


def test_sign_out_urls_are_registered_named_in_the_plan_and_never_removed(idura, idura_admin, tmp_path):
    """Idura's end-session endpoint returns the browser only to a URL the application lists (the emulator, as
    Idura: tests/emulator/test_sso.py); the program registers each client's sign_out URL with the callbacks."""
    realm, signed_out, mobile = (
        "urn:idura:test:program:signout",
        "https://app.acme.com/signed-out",
        "https://m.acme.com/out",
    )
    q = query(idura, realm, have_secret="false", post_logout_uris=json.dumps([signed_out]))
    planned = result(run(idura, tmp_path, q, allowed=False))
    assert f"would add redirect URL {COGNITO}; would add sign-out URL {signed_out}" in planned["pending"]
    created = result(run(idura, tmp_path, q))
    assert idura_admin.application(realm)["returnUrls"] == [COGNITO, signed_out]

    # A second client signs out too, and the first URL left the config: added, never removed (another stack
    # sharing the application, or a person's session, may still need it).
    later = query(idura, realm, escrowed_secret_id=created["secret_id"], post_logout_uris=json.dumps([mobile]))
    assert result(run(idura, tmp_path, later, allowed=False))["pending"] == f"would add sign-out URL {mobile}"
    assert result(run(idura, tmp_path, later))["action"] == "updated"
    assert idura_admin.application(realm)["returnUrls"] == [COGNITO, signed_out, mobile]


@pytest.mark.parametrize(
    "uri", ["javascript:alert(1)", "http://evil.example/out", "https://app.acme.com/#frag", "com.acme.app://out"]
)
def test_a_bad_sign_out_url_is_refused_before_any_request(idura, idura_admin, tmp_path, uri):
    idura_admin.clear_requests()
    q = query(idura, "urn:idura:test:program:badsignout", post_logout_uris=json.dumps([uri]))
    process = run(idura, tmp_path, q)
    assert process.returncode == 1 and process.stderr.count("\n") == 1
    assert process.stderr.startswith("idura_application: query.post_logout_uris: ")
    assert idura_admin.requests() == []
