"""Managed secret mode end to end: real terraform + AWS provider against moto and the Idura emulator.

One scenario per stack, run once and recorded: `managed` walks first apply, steady state, plan-then-apply,
escrow deleted, application deleted, foreign redirect URLs and the login; `savedplan` applies a saved plan.
The test stand-in for hashicorp/external runs the real program (tests/support/external_provider.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from idura_cognito.login import LoginError, login
from tests.conftest import TEST_TOKEN
from tests.support.idura_admin import sha256
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration

REALM = "urn:idura:test:managed"
SAVED_REALM = "urn:idura:test:savedplan"
FOREIGN_URL = "https://another-team.example/callback"


@dataclass
class Secrets:
    """SHA-256 of the secret in each place (the secrets themselves stay inside this test)."""

    idura: str
    escrow: str
    cognito: dict[str, str]

    def agree(self) -> bool:
        return self.idura == self.escrow and set(self.cognito.values()) == {self.escrow}


@dataclass
class Record:
    steps: dict[str, object] = field(default_factory=dict)


PLAINTEXTS: list[str] = []  # every secret value seen, for the leak check


def _secrets(admin, boto, realm: str, escrow_name: str, pool_id: str) -> Secrets:
    cognito = boto("cognito-idp")
    escrowed = boto("secretsmanager").get_secret_value(SecretId=escrow_name)["SecretString"]
    PLAINTEXTS.append(escrowed)
    held = {}
    for provider in cognito.list_identity_providers(UserPoolId=pool_id)["Providers"]:
        details = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=provider["ProviderName"])
        held[provider["ProviderName"]] = sha256(details["IdentityProvider"]["ProviderDetails"]["client_secret"])
    return Secrets(admin.application(realm)["secretSha256"], sha256(escrowed), held)


def _apply(tf: TerraformDir, admin) -> dict:
    """Apply and return how often each management route was called during it."""
    admin.clear_requests()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    return dict(admin.routes())


def _plan(tf: TerraformDir, admin) -> tuple[int, dict]:
    admin.clear_requests()
    code, _ = tf.plan_exit_code()
    return code, dict(admin.routes())


@pytest.fixture(scope="module")
def managed(synthesized, cli_config, boto, idura, idura_admin):
    _, outdir = synthesized
    tf = TerraformDir(outdir / "stacks" / "managed", cli_config, extra_env=idura.environment())
    r = Record().steps
    tf.init()
    r["validate"] = tf.run("validate", "-no-color", check=False).returncode
    # plan, thrown away, then apply: the plan creates the application and a first secret nobody uses.
    r["first_plan"] = _plan(tf, idura_admin)
    r["first_apply"] = _apply(tf, idura_admin)
    outputs = tf.outputs()
    r["outputs"] = outputs
    pool, escrow = outputs["user_pool_id"], outputs["escrow_secret_name"]
    r["apps_after_first_apply"] = idura_admin.applications(REALM)
    r["secrets_after_first_apply"] = _secrets(idura_admin, boto, REALM, escrow, pool)
    r["steady_plan"] = _plan(tf, idura_admin)

    # The login, exactly as Cognito performs it, from the IdP settings Cognito holds.
    cognito = boto("cognito-idp")
    redirect = outputs["idura_redirect_url"]
    verify = __import__("ssl").create_default_context(cafile=idura.ca_file)

    def cognito_login(name: str):
        details = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)
        try:
            return login(details["IdentityProvider"]["ProviderDetails"], redirect, verify=verify)
        except LoginError as exc:
            return exc

    r["login_idura"], r["login_mitid"] = cognito_login("Idura"), cognito_login("MitID")
    idura_admin.change(REALM, userInfoResponseStrategy="signedJwt")
    r["login_signed_jwt"] = cognito_login("Idura")
    # The next apply sets the strategy back: the program keeps the application Cognito-ready.
    r["apply_fixing_strategy"] = _apply(tf, idura_admin)
    r["login_after_fix"] = cognito_login("Idura")

    # Someone deletes the escrow: the next apply issues a new secret and heals every copy.
    boto("secretsmanager").delete_secret(SecretId=escrow, ForceDeleteWithoutRecovery=True)
    r["apply_after_escrow_deleted"] = _apply(tf, idura_admin)
    r["secrets_after_escrow_healed"] = _secrets(idura_admin, boto, REALM, escrow, pool)
    r["plan_after_escrow_healed"] = _plan(tf, idura_admin)

    # Someone deletes the application at Idura: recreated, with a new secret everywhere.
    old_id = idura_admin.application(REALM)["id"]
    idura_admin.delete_application(REALM)
    r["apply_after_app_deleted"] = _apply(tf, idura_admin)
    r["app_recreated"] = idura_admin.applications(REALM)
    r["old_app_id"] = old_id
    r["secrets_after_app_recreated"] = _secrets(idura_admin, boto, REALM, escrow, pool)

    # Another team adds its redirect URL at Idura: our applies keep it.
    idura_admin.change(REALM, returnUrls=[FOREIGN_URL, redirect])
    r["apply_with_foreign_url"] = _apply(tf, idura_admin)
    r["urls_after_apply"] = idura_admin.application(REALM)["returnUrls"]
    r["final_plan"] = _plan(tf, idura_admin)

    r["destroy"] = tf.run("destroy", "-input=false", "-auto-approve", "-no-color", check=False).returncode
    r["transcript"] = "\n".join(tf.transcript)
    return r


def test_first_apply_creates_one_cognito_ready_application(managed, idura):
    assert managed["validate"] == 0
    (app,) = managed["apps_after_first_apply"]
    assert app["returnUrls"] == [managed["outputs"]["idura_redirect_url"]]
    assert app["oauth2"]["codeFlow"] is True
    assert app["oauth2"]["userInfoResponseStrategy"] == "plainJson"
    assert app["name"] == "Acme (managed test)"
    assert managed["outputs"]["idura_application_id"] == app["id"]


def test_secret_in_idura_equals_escrow_equals_every_cognito_provider(managed):
    secrets = managed["secrets_after_first_apply"]
    assert secrets.agree(), secrets
    assert set(secrets.cognito) == {"Idura", "MitID"}


def test_plan_then_apply_converges_with_one_rotation(managed):
    code, plan_calls = managed["first_plan"]
    assert code == 2 and plan_calls == {"find": 1, "create": 1, "secret": 1}
    # The thrown-away plan's secret was never escrowed: the apply's own run rotates exactly once.
    assert managed["first_apply"] == {"find": 1, "secret": 1}


def test_second_plan_has_no_changes_and_issues_no_secret(managed):
    code, calls = managed["steady_plan"]
    assert code == 0
    assert calls == {"find": 1}


def test_login_as_cognito_does_returns_the_test_users_claims(managed):
    for result in (managed["login_idura"], managed["login_mitid"]):
        assert isinstance(result, dict), result
        assert result["name"] == "Test Testersen"
        assert result["identityscheme"] == "dkmitid"
        assert result["sub"].startswith("{")


def test_signed_jwt_userinfo_fails_with_idura_documented_fix(managed):
    failure = managed["login_signed_jwt"]
    assert isinstance(failure, LoginError)
    assert "invalid token_type in idp oauth response" in str(failure)
    assert "set the application's user info response strategy to plainJson" in str(failure)
    assert managed["apply_fixing_strategy"] == {"find": 1, "update": 1}
    assert isinstance(managed["login_after_fix"], dict)


def test_deleted_escrow_is_healed_by_rotation(managed):
    assert managed["apply_after_escrow_deleted"] == {"find": 1, "secret": 1}
    assert managed["secrets_after_escrow_healed"].agree()
    assert managed["secrets_after_escrow_healed"] != managed["secrets_after_first_apply"]
    assert managed["plan_after_escrow_healed"] == (0, {"find": 1})


def test_application_deleted_at_idura_is_recreated(managed):
    assert managed["apply_after_app_deleted"] == {"find": 1, "create": 1, "secret": 1}
    (app,) = managed["app_recreated"]
    assert app["id"] != managed["old_app_id"]
    assert managed["secrets_after_app_recreated"].agree()


def test_redirect_urls_added_by_someone_else_survive(managed):
    assert managed["apply_with_foreign_url"] == {"find": 1}
    assert FOREIGN_URL in managed["urls_after_apply"]
    assert managed["final_plan"] == (0, {"find": 1})


def test_destroy_and_no_secret_or_token_in_terraform_output(managed):
    assert managed["destroy"] == 0
    assert managed["transcript"] and len(PLAINTEXTS) >= 3
    assert TEST_TOKEN not in managed["transcript"]
    for secret in PLAINTEXTS:
        assert secret not in managed["transcript"]


@pytest.fixture(scope="module")
def saved_plan(synthesized, cli_config, boto, idura, idura_admin):
    _, outdir = synthesized
    tf = TerraformDir(outdir / "stacks" / "savedplan", cli_config, extra_env=idura.environment())
    tf.init()
    idura_admin.clear_requests()
    tf.run("plan", "-input=false", "-no-color", "-out", "saved.tfplan")
    plan_calls = dict(idura_admin.routes())
    idura_admin.clear_requests()
    tf.run("apply", "-input=false", "-no-color", "saved.tfplan")
    apply_calls = dict(idura_admin.routes())
    outputs = tf.outputs()
    secrets = _secrets(idura_admin, boto, SAVED_REALM, outputs["escrow_secret_name"], outputs["user_pool_id"])
    after = _plan(tf, idura_admin)
    tf.run("destroy", "-input=false", "-auto-approve", "-no-color")
    return plan_calls, apply_calls, secrets, after


def test_saved_plan_applies_the_secret_issued_during_the_plan(saved_plan):
    plan_calls, apply_calls, secrets, after = saved_plan
    assert plan_calls == {"find": 1, "create": 1, "secret": 1}
    assert apply_calls == {}  # applying a saved plan does not run the program again
    assert secrets.agree()
    assert after == (0, {"find": 1})
