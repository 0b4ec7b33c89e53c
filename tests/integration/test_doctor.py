"""`idura-cognito doctor`: all green on a healthy stack, and each link broken alone makes exactly its check fail
with its fix. The stack is deployed once (managed mode) against moto and the emulator; each break is undone."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TEST_TOKEN, run_cli
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration

REALM = "urn:idura:test:doctor"
STACK = "doctor"


@pytest.fixture(scope="module")
def deployed(synthesized, cli_config, idura, boto):
    config, outdir = synthesized
    tf = TerraformDir(outdir / "stacks" / STACK, cli_config, extra_env=idura.environment())
    tf.init()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    outputs = tf.outputs()
    yield config, outputs, tf
    tf.run("destroy", "-input=false", "-auto-approve", "-no-color")


def doctor(config, idura, *extra: str, management: bool = True):
    env = idura.environment() if management else {"IDURA_CA_BUNDLE": str(idura.ca_file)}
    if not management:
        env |= {"IDURA_MANAGEMENT_URL": "", "IDURA_MANAGEMENT_TOKEN": ""}
    return run_cli("doctor", "--stack", STACK, "--config", str(config), *extra, env=env)


def checks(result) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(result.stdout)["checks"]}


def failing(result) -> dict[str, dict]:
    return {k: v for k, v in checks(result).items() if v["status"] == "fail"}


def test_all_green(deployed, idura):
    config, _, _ = deployed
    result = doctor(config, idura)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "idura-cognito doctor: stack doctor"
    assert lines[-1].endswith("0 failed, 0 warnings, 0 skipped")
    assert "PASS  Every identity provider holds the escrowed client secret: digest " in result.stdout
    assert "\033[" not in result.stdout  # no colours when piped
    as_json = doctor(config, idura, "--json")
    assert json.loads(as_json.stdout)["ok"] is True
    assert {c["status"] for c in checks(as_json).values()} == {"pass"}
    assert len(checks(as_json)) == 15


def test_without_management_credentials_the_idura_application_checks_are_skipped(deployed, idura):
    config, _, _ = deployed
    result = doctor(config, idura, "--json", management=False)
    assert result.returncode == 0
    skipped = {k for k, v in checks(result).items() if v["status"] == "skip"}
    assert skipped == {"idura.application", "idura.redirect_url", "idura.code_flow", "idura.userinfo_strategy"}


def _secret(boto, name):
    return boto("secretsmanager").get_secret_value(SecretId=name)["SecretString"]


def _break_and_check(deployed, idura, breaker, restorer, check_id, fix_part, alone=True):
    config, _, _ = deployed
    breaker()
    try:
        result = doctor(config, idura, "--json")
    finally:
        restorer()
    assert result.returncode == 1
    fails = failing(result)
    assert check_id in fails, fails
    assert fix_part in fails[check_id]["fix"] + fails[check_id]["detail"]
    if alone:
        assert set(fails) == {check_id}, fails
    assert TEST_TOKEN not in result.stdout + result.stderr


def test_idura_discovery_unreachable(deployed, idura, idura_admin):
    _break_and_check(
        deployed,
        idura,
        lambda: idura_admin.add_fault(route="discovery", status=503, times=-1),
        idura_admin.clear_faults,
        "idura.discovery",
        "check idura.domain",
        alone=False,
    )


def test_issuer_mismatch(deployed, idura, idura_admin):
    _break_and_check(
        deployed,
        idura,
        lambda: idura_admin.http.put("/_emulator/issuer", content="https://other.example"),
        lambda: idura_admin.http.delete("/_emulator/issuer"),
        "idura.issuer",
        "set idura.domain",
        alone=False,  # discovery's other endpoints point elsewhere too, so client authentication fails as well
    )


def test_pinned_eid_not_answering(deployed, idura, idura_admin):
    _break_and_check(
        deployed,
        idura,
        lambda: idura_admin.add_fault(route="pinned_discovery", status=404, times=-1),
        idura_admin.clear_faults,
        "idura.pinned.MitID",
        "check the acr value of MitID",
    )


def test_secret_rotated_at_idura_behind_cognitos_back(deployed, idura, idura_admin, boto):
    config, outputs, tf = deployed
    app = idura_admin.application(REALM)

    def rotate_at_idura():
        idura_admin.http.post(
            f"/management/v1/domains/{idura.domain}/applications/{app['id']}/client-secret",
            headers={"Authorization": f"Bearer {idura.token}"},
        ).raise_for_status()

    def heal():  # the escrow's secret id is now stale: the next apply rotates and heals everything
        tf.run("apply", "-input=false", "-auto-approve", "-no-color")

    _break_and_check(
        deployed, idura, rotate_at_idura, heal, "idura.client_secret_post", "secret rotate --stack doctor"
    )


@pytest.mark.parametrize(
    ("change", "check_id", "fix_part"),
    [
        (
            {"returnUrls": ["https://someone-else.example/cb"]},
            "idura.redirect_url",
            "add https://acme-doctor.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse",
        ),
        ({"codeFlow": False}, "idura.code_flow", "turn it on"),
        (
            {"userInfoResponseStrategy": "signedJwt"},
            "idura.userinfo_strategy",
            "invalid token_type in idp oauth response",
        ),
    ],
)
def test_application_settings_changed_at_idura(deployed, idura, idura_admin, change, check_id, fix_part):
    before = idura_admin.application(REALM)
    restore = {"returnUrls": before["returnUrls"], "codeFlow": True, "userInfoResponseStrategy": "plainJson"}
    _break_and_check(
        deployed,
        idura,
        lambda: idura_admin.change(REALM, **change),
        lambda: idura_admin.change(REALM, **restore),
        check_id,
        fix_part,
    )


def test_domain_missing(deployed, idura, boto):
    _, outputs, _ = deployed
    cognito = boto("cognito-idp")
    pool = outputs["user_pool_id"]
    _break_and_check(
        deployed,
        idura,
        lambda: cognito.delete_user_pool_domain(Domain="acme-doctor", UserPoolId=pool),
        lambda: cognito.create_user_pool_domain(Domain="acme-doctor", UserPoolId=pool, ManagedLoginVersion=1),
        "cognito.domain",
        "apply the stack",
    )


def _change_provider(deployed, idura, boto, name, change, check_id, fix_part, alone=True):
    """Change one identity provider's details in Cognito behind Terraform's back, check, then put them back."""
    _, outputs, _ = deployed
    cognito = boto("cognito-idp")
    pool = outputs["user_pool_id"]
    details = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)["IdentityProvider"][
        "ProviderDetails"
    ]

    def update(provider_details):
        return lambda: cognito.update_identity_provider(
            UserPoolId=pool, ProviderName=name, ProviderDetails=provider_details
        )

    _break_and_check(deployed, idura, update(details | change), update(details), check_id, fix_part, alone=alone)


def test_identity_provider_changed_outside_terraform(deployed, idura, boto):
    _change_provider(
        deployed,
        idura,
        boto,
        "MitID",
        {"oidc_issuer": "https://old.idura.example"},
        "cognito.idp.MitID",
        "oidc_issuer is 'https://old.idura.example'",
    )


def test_cognito_holds_another_secret_than_the_escrow(deployed, idura, boto):
    _change_provider(
        deployed,
        idura,
        boto,
        "Idura",
        {"client_secret": "an-old-secret-nobody-knows"},
        "cognito.secret",
        "Idura hold a different secret",
        alone=False,
    )


def test_app_client_lost_a_provider(deployed, idura, boto):
    _, outputs, _ = deployed
    cognito = boto("cognito-idp")
    pool, client_id = outputs["user_pool_id"], outputs["app_client_id"]
    client = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    keep = {
        k: client[k]
        for k in (
            "ClientName",
            "CallbackURLs",
            "AllowedOAuthFlows",
            "AllowedOAuthScopes",
            "AllowedOAuthFlowsUserPoolClient",
            "SupportedIdentityProviders",
            "LogoutURLs",
        )
        if k in client
    }
    _break_and_check(
        deployed,
        idura,
        lambda: cognito.update_user_pool_client(
            UserPoolId=pool, ClientId=client_id, **(keep | {"SupportedIdentityProviders": ["Idura"]})
        ),
        lambda: cognito.update_user_pool_client(UserPoolId=pool, ClientId=client_id, **keep),
        "cognito.app_client",
        "missing providers MitID",
    )


def test_escrow_missing(deployed, idura, boto):
    _, outputs, tf = deployed
    secrets = boto("secretsmanager")
    name = outputs["escrow_secret_name"]
    _break_and_check(
        deployed,
        idura,
        lambda: secrets.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True),
        lambda: tf.run("apply", "-input=false", "-auto-approve", "-no-color"),  # heals: a new secret everywhere
        "escrow",
        "apply the stack (managed mode fills it)",
        alone=False,  # with no escrow, the comparison with Cognito's secret is skipped, not failed
    )


def test_application_missing_at_idura(deployed, idura, idura_admin):
    config, _, tf = deployed
    _break_and_check(
        deployed,
        idura,
        lambda: idura_admin.delete_application(REALM),
        lambda: tf.run("apply", "-input=false", "-auto-approve", "-no-color"),
        "idura.application",
        "apply the stack (managed mode creates it)",
        alone=False,
    )


def test_existing_pool_that_requires_email(deployed, idura, boto, tmp_path):
    config, _, _ = deployed
    cognito = boto("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="email-required",
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]
    import tomllib

    from tests.conftest import write_config

    document = tomllib.loads(config.read_text())
    document["stacks"][STACK]["user_pool"] = {"existing_id": pool}
    other = write_config(tmp_path / "email.toml", document)
    result = run_cli("doctor", "--stack", STACK, "--config", str(other), "--json", env=idura.environment())
    fails = failing(result)
    assert result.returncode == 1
    assert "Invalid user attributes: email" in fails["cognito.user_pool"]["detail"]
    assert fails["cognito.user_pool"]["fix"].startswith("required attributes cannot be changed")
