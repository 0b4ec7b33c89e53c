"""`idura-cognito doctor`: all green on a healthy stack, and each link broken alone makes exactly its own check
fail (the exact set of failing checks is asserted), with its fix. The stack is deployed once (managed mode)
against moto and the emulator; every break is undone directly in moto or the emulator, without Terraform."""

from __future__ import annotations

import json
import threading
import time
import tomllib

import pytest

from tests.support.cli import run_cli
from tests.support.config import write_config
from tests.support.secrets import TEST_TOKEN, escrow_document
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 25  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

REALM = "urn:idura:test:doctor"
STACK = "doctor"


#: Where the doctor finds the stack's state: the shared synth output and the CLI config (set by `deployed`).
ROOT: dict = {}


@pytest.fixture(scope="module")
def deployed(synthesized, cli_config, idura, boto):
    config, outdir = synthesized
    tf = TerraformDir.at(outdir / "stacks" / STACK, cli_config, idura.environment())
    tf.init()
    tf.allowed().apply()
    # The doctor reads the stack's state through its own synth (not the shared one, which other files compare).
    ROOT.update(
        args=["--out", str(config.parent / "doctor.out")],
        env={"TF_CLI_CONFIG_FILE": str(cli_config)},
        cwd=config.parent,
    )
    return config, tf.outputs()


def doctor(config, idura, *extra: str, management: bool = True, path=None):
    env = idura.environment() if management else {"IDURA_CA_BUNDLE": str(idura.ca_file)}
    if not management:
        env |= {"IDURA_MANAGEMENT_URL": "", "IDURA_MANAGEMENT_TOKEN": ""}
    return run_cli(
        "doctor",
        "--stack",
        STACK,
        "--config",
        str(path or config),
        *ROOT["args"],
        *extra,
        env=env | ROOT["env"],
        cwd=ROOT["cwd"],
    )


def checks(result) -> dict[str, dict]:
    return {c["id"]: c for c in json.loads(result.stdout)["checks"]}


def with_status(result, status: str) -> dict[str, dict]:
    return {k: v for k, v in checks(result).items() if v["status"] == status}


def test_all_green(deployed, idura):
    config, _ = deployed
    result = doctor(config, idura)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "idura-cognito doctor: stack doctor"
    assert lines[-1].endswith("0 failed, 0 warnings, 0 skipped")
    assert "PASS  Cognito's identity providers hold the escrowed client secret: digest " in result.stdout
    assert "assumes Idura authenticates the client before it looks at the code" in result.stdout
    assert "\033[" not in result.stdout  # no colours when piped
    as_json = doctor(config, idura, "--json")
    assert json.loads(as_json.stdout)["ok"] is True
    assert {c["status"] for c in checks(as_json).values()} == {"pass"}
    assert set(checks(as_json)) == {
        "idura.discovery",
        "idura.issuer",
        "idura.acr.MitID",
        "idura.pinned.MitID",
        "idura.application",
        "idura.redirect_url",
        "idura.code_flow",
        "idura.userinfo_strategy",
        "idura.escrow_current",
        "cognito.user_pool",
        "cognito.domain",
        "cognito.idp.Idura",
        "cognito.idp.MitID",
        "cognito.secret",
        "cognito.app_client",
        "cognito.linking",
        "cognito.settings",
        "escrow",
        "idura.client_secret",
    }


def test_without_management_credentials_the_idura_application_checks_are_skipped(deployed, idura):
    config, _ = deployed
    result = doctor(config, idura, "--json", management=False)
    assert result.returncode == 0
    assert set(with_status(result, "skip")) == {
        "idura.application",
        "idura.redirect_url",
        "idura.code_flow",
        "idura.userinfo_strategy",
    }


def broken(deployed, idura, breaker, restorer, fails: set[str], fix_part: str, **doctor_args):
    """Break one link, run the doctor, undo the break; exactly ``fails`` fail, the first with ``fix_part``."""
    config, _ = deployed
    breaker()
    try:
        result = doctor(config, idura, "--json", **doctor_args)
    finally:
        restorer()
    assert result.returncode == 1
    failing = with_status(result, "fail")
    assert set(failing) == fails, failing
    first = failing[sorted(fails)[0]]
    assert fix_part in first["fix"] + first["detail"]
    assert TEST_TOKEN not in result.stdout + result.stderr
    return result


def test_idura_discovery_unreachable(deployed, idura, idura_admin):
    broken(
        deployed,
        idura,
        lambda: idura_admin.add_fault(route="discovery", status=503, times=-1),
        idura_admin.clear_faults,
        {"idura.discovery"},
        "check idura.domain",
    )


def test_issuer_mismatch_and_the_secret_is_not_sent_elsewhere(deployed, idura, idura_admin):
    result = broken(
        deployed,
        idura,
        lambda: idura_admin.http.put("/_emulator/issuer", content="https://other.example"),
        lambda: idura_admin.http.delete("/_emulator/issuer"),
        {"idura.issuer"},
        "set idura.domain",
    )
    # Discovery now names another host's token endpoint: the doctor does not send Cognito's secret there.
    assert checks(result)["idura.client_secret"]["status"] == "skip"


def test_pinned_eid_not_answering(deployed, idura, idura_admin):
    broken(
        deployed,
        idura,
        lambda: idura_admin.add_fault(route="pinned_discovery", status=404, times=-1),
        idura_admin.clear_faults,
        {"idura.pinned.MitID"},
        "check the acr value of MitID",
    )


def test_pinned_eid_not_enabled_on_the_domain(deployed, idura, idura_admin):
    broken(
        deployed,
        idura,
        lambda: idura_admin.enable_eids(["urn:grn:authn:se:bankid"]),
        lambda: idura_admin.enable_eids([e["acr"] for e in _documented()]),
        {"idura.acr.MitID"},
        "urn:grn:authn:dk:mitid:substantial is not among the domain's acr values",
    )


def _documented():
    from idura_verify.eids import DOCUMENTED

    return [{"acr": entry.acr} for entry in DOCUMENTED]


def test_discovery_without_client_secret_post_is_a_warning_not_a_failure(deployed, idura, idura_admin):
    config, _ = deployed
    idura_admin.settings(authMethods=["client_secret_basic"])
    try:
        result = doctor(config, idura, "--json")
    finally:
        idura_admin.settings(authMethods=["client_secret_basic", "client_secret_post", "private_key_jwt"])
    assert result.returncode == 0
    assert set(with_status(result, "warn")) == {"idura.client_secret_post"}
    assert checks(result)["idura.client_secret"]["status"] == "pass"  # the probe, not the list, decides


def _secret_and_id(idura_admin, boto, outputs) -> tuple[str, str]:
    document = escrow_document(boto, outputs["escrow_secret_name"])
    return document["client_secret"], document["idura_secret_id"]


def test_secret_rotated_at_idura_behind_cognitos_back(deployed, idura, idura_admin, boto):
    _, outputs = deployed
    secret, secret_id = _secret_and_id(idura_admin, boto, outputs)
    broken(
        deployed,
        idura,
        lambda: idura_admin.rotate_secret(REALM),
        lambda: idura_admin.change(REALM, secret=secret, secretId=secret_id),
        {"idura.client_secret", "idura.escrow_current"},  # Idura refuses Cognito's copy; the escrow is stale
        "idura-cognito deploy --stack doctor",
    )


@pytest.mark.parametrize(
    ("change", "check_id", "fix_part"),
    [
        (
            {"returnUrls": ["https://someone-else.example/cb"]},
            "idura.redirect_url",
            "add https://acme-doctor.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse: run `idura-cognito deploy",
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
    broken(
        deployed,
        idura,
        lambda: idura_admin.change(REALM, **change),
        lambda: idura_admin.change(REALM, **restore),
        {check_id},
        fix_part,
    )


def test_domain_missing(deployed, idura, boto):
    _, outputs = deployed
    cognito = boto("cognito-idp")
    pool = outputs["user_pool_id"]
    broken(
        deployed,
        idura,
        lambda: cognito.delete_user_pool_domain(Domain="acme-doctor", UserPoolId=pool),
        lambda: cognito.create_user_pool_domain(Domain="acme-doctor", UserPoolId=pool, ManagedLoginVersion=1),
        {"cognito.domain"},
        "idura-cognito deploy --stack doctor",
    )


def _change_provider(deployed, idura, boto, name, change, fails, fix_part, mapping=None):
    """Change one identity provider in Cognito behind Terraform's back (drift), check, then put it back."""
    _, outputs = deployed
    cognito = boto("cognito-idp")
    pool = outputs["user_pool_id"]
    provider = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)["IdentityProvider"]
    details, original_mapping = provider["ProviderDetails"], provider["AttributeMapping"]

    def update(provider_details, attribute_mapping):
        return lambda: cognito.update_identity_provider(
            UserPoolId=pool,
            ProviderName=name,
            ProviderDetails=provider_details,
            AttributeMapping=attribute_mapping,
        )

    return broken(
        deployed,
        idura,
        update(details | change, mapping or original_mapping),
        update(details, original_mapping),
        fails,
        fix_part,
    )


def test_identity_provider_edited_in_the_console(deployed, idura, boto):
    result = _change_provider(
        deployed,
        idura,
        boto,
        "MitID",
        {"oidc_issuer": "https://old.idura.example"},
        {"cognito.idp.MitID"},
        "oidc_issuer is 'https://old.idura.example'",
    )
    assert "`idura-cognito deploy --stack doctor` puts it back" in checks(result)["cognito.idp.MitID"]["fix"]


def test_attribute_mapping_edited_in_the_console(deployed, idura, boto):
    _change_provider(
        deployed,
        idura,
        boto,
        "Idura",
        {},
        {"cognito.idp.Idura"},
        "the attribute mapping is {'username': 'sub', 'email': 'email'}",
        mapping={"username": "sub", "email": "email"},
    )


def test_cognito_holds_another_secret_than_the_escrow(deployed, idura, boto):
    _change_provider(
        deployed,
        idura,
        boto,
        "Idura",
        {"client_secret": "an-old-secret-nobody-knows"},
        {"cognito.secret", "idura.client_secret"},  # one broken link, seen from both ends
        "the Cognito identity provider(s) 'Idura' hold another secret than the escrow",
    )


def test_app_client_lost_a_provider(deployed, idura, boto):
    _, outputs = deployed
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
    broken(
        deployed,
        idura,
        lambda: cognito.update_user_pool_client(
            UserPoolId=pool, ClientId=client_id, **(keep | {"SupportedIdentityProviders": ["Idura"]})
        ),
        lambda: cognito.update_user_pool_client(UserPoolId=pool, ClientId=client_id, **keep),
        {"cognito.app_client"},
        "missing providers MitID",
    )


def test_escrow_missing(deployed, idura, boto):
    _, outputs = deployed
    secrets = boto("secretsmanager")
    name = outputs["escrow_secret_name"]
    value = secrets.get_secret_value(SecretId=name)["SecretString"]
    result = broken(
        deployed,
        idura,
        lambda: secrets.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True),
        lambda: secrets.create_secret(Name=name, SecretString=value),
        {"escrow"},
        "`idura-cognito deploy --stack doctor` (managed mode fills it)",
    )
    assert checks(result)["cognito.secret"]["status"] == "skip"  # nothing to compare with, not a second failure


def test_escrow_scheduled_for_deletion_is_not_missing(deployed, idura, boto):
    _, outputs = deployed
    secrets = boto("secretsmanager")
    name = outputs["escrow_secret_name"]
    result = broken(
        deployed,
        idura,
        lambda: secrets.delete_secret(SecretId=name, RecoveryWindowInDays=7),
        lambda: secrets.restore_secret(SecretId=name),
        {"escrow"},
        f"restore it: `aws secretsmanager restore-secret --secret-id {name}`",
    )
    assert "it is scheduled for deletion since" in checks(result)["escrow"]["detail"]


def test_application_missing_at_idura(deployed, idura, idura_admin, boto):
    _, outputs = deployed
    app = idura_admin.application(REALM)
    secret, secret_id = _secret_and_id(idura_admin, boto, outputs)
    broken(
        deployed,
        idura,
        lambda: idura_admin.delete_application(REALM),
        lambda: idura_admin.register(REALM, secret, app["returnUrls"], id=app["id"], secretId=secret_id),
        {"idura.application", "idura.client_secret"},  # no application: Idura refuses the client too
        "`idura-cognito deploy --stack doctor` (managed mode creates it)",
    )


def test_existing_pool_that_requires_email(deployed, idura, boto, tmp_path):
    config, _ = deployed
    cognito = boto("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="email-required",
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]
    document = tomllib.loads(config.read_text())
    document["stacks"][STACK]["user_pool"] = {"existing_id": pool}
    other = write_config(tmp_path / "email.toml", document)
    result = doctor(config, idura, "--json", path=other)
    failing = with_status(result, "fail")
    assert result.returncode == 1
    assert "Invalid user attributes: email" in failing["cognito.user_pool"]["detail"]
    assert failing["cognito.user_pool"]["fix"].startswith("required attributes cannot be changed")


def test_a_namesake_pool_is_not_the_stack_s_pool_the_state_decides(deployed, idura, boto):
    """A second pool with the stack's pool name (a cut-off run's leftover, or a colleague's): the doctor checks the
    pool the stack's state holds, passes, and warns about the other one."""
    _, outputs = deployed
    cognito = boto("cognito-idp")
    other = cognito.create_user_pool(PoolName="acme-doctor")["UserPool"]["Id"]
    try:
        result = doctor(deployed[0], idura, "--json")
    finally:
        cognito.delete_user_pool(UserPoolId=other)
    assert result.returncode == 0, result.stdout
    found = checks(result)
    assert (
        found["cognito.user_pool"]["status"] == "pass"
        and found["cognito.user_pool"]["detail"] == outputs["user_pool_id"]
    )
    assert found["cognito.user_pool.namesakes"]["status"] == "warn"
    assert other in found["cognito.user_pool.namesakes"]["detail"]
    assert {c["status"] for k, c in found.items() if k != "cognito.user_pool.namesakes"} == {"pass"}


def test_a_wrong_escrowed_secret_is_fixed_from_cognito_s_working_copy_and_the_fix_repairs_it(
    deployed, idura, idura_admin, boto
):
    """Someone wrote a wrong secret into the escrow (with the current id, so the id check passes): Idura accepts
    Cognito's copy, so the fix is to escrow Cognito's, never a deploy (which would push the wrong one into
    Cognito). Following the printed fix makes the doctor green again."""
    config, outputs = deployed
    secrets = boto("secretsmanager")
    name = outputs["escrow_secret_name"]
    good = json.loads(secrets.get_secret_value(SecretId=name)["SecretString"])
    secrets.put_secret_value(SecretId=name, SecretString=json.dumps(good | {"client_secret": "wrong-by-hand"}))
    result = doctor(config, idura, "--json")
    failing = with_status(result, "fail")
    # The id says current, the secret does not: both checks say so, and both fixes repair from Cognito's copy.
    assert set(failing) == {"cognito.secret", "idura.escrow_current"}, failing
    assert "Idura accepts Cognito's, so the escrow is the wrong one" in failing["cognito.secret"]["detail"]
    assert "Idura answers invalid_client for the secret stored with it" in failing["idura.escrow_current"]["detail"]
    fix = failing["cognito.secret"]["fix"]
    assert fix.startswith(f"`idura-cognito secret put --stack {STACK} --from-cognito`") and "deploy now" in fix
    assert failing["idura.escrow_current"]["fix"].startswith(f"`idura-cognito secret put --stack {STACK} --from")
    put = run_cli(
        "secret",
        "put",
        "--stack",
        STACK,
        "--from-cognito",
        "--config",
        str(config),
        *ROOT["args"],
        env=idura.environment() | ROOT["env"],
        cwd=ROOT["cwd"],
    )
    assert put.returncode == 0, put.stderr
    assert json.loads(secrets.get_secret_value(SecretId=name)["SecretString"]) == good
    assert doctor(config, idura).returncode == 0


def test_a_rotation_while_secret_put_checks_never_pairs_the_old_secret_with_the_new_id(
    deployed, idura, idura_admin, boto
):
    """The race of the review: `secret put --from-cognito` tested Cognito's secret, then read Idura's current id in
    a second call; a rotation in between stored the old secret under the new id, and the doctor then said PASS
    current next to FAIL invalid_client. Idura's find is held 3 s and the secret rotated meanwhile: nothing is
    escrowed, and the doctor's two checks agree."""
    config, outputs = deployed
    secrets = boto("secretsmanager")
    name = outputs["escrow_secret_name"]
    good = json.loads(secrets.get_secret_value(SecretId=name)["SecretString"])
    wrong = good | {"client_secret": "wrong-by-hand"}
    secrets.put_secret_value(SecretId=name, SecretString=json.dumps(wrong))
    idura_admin.clear_requests()
    idura_admin.add_fault(route="find", times=1, delay=3)
    rotate = threading.Thread(target=_rotate_while_find_is_held, args=(idura_admin,))
    rotate.start()
    try:
        put = run_cli(
            "secret", "put", "--stack", STACK, "--from-cognito", "--config", str(config), *ROOT["args"],
            env=idura.environment() | ROOT["env"], cwd=ROOT["cwd"],
        )  # fmt: skip
    finally:
        rotate.join()
        idura_admin.clear_faults()
    try:
        assert put.returncode == 1 and "nothing was escrowed" in put.stderr
        assert json.loads(secrets.get_secret_value(SecretId=name)["SecretString"]) == wrong
        statuses = {k: v["status"] for k, v in checks(doctor(config, idura, "--json")).items()}
        assert statuses["idura.client_secret"] == "fail"
        assert statuses["idura.escrow_current"] == "fail"  # never PASS next to invalid_client
    finally:
        idura_admin.change(REALM, secret=good["client_secret"], secretId=good["idura_secret_id"])
        secrets.put_secret_value(SecretId=name, SecretString=json.dumps(good))


def _rotate_while_find_is_held(idura_admin, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(r["route"] == "find" and r["status"] is None for r in idura_admin.requests()):
        assert time.monotonic() < deadline, "secret put never reached Idura's find"
        time.sleep(0.02)
    idura_admin.rotate_secret(REALM)


def test_secret_put_refuses_a_managed_stack_with_the_commands_to_use(deployed, idura):
    config, _ = deployed
    refused = run_cli("secret", "put", "--stack", STACK, "--config", str(config), input="by-hand\n")
    assert refused.returncode == 2
    assert "stack doctor is managed: deploy issues its secret and escrows it with Idura's id of it" in refused.stderr
    assert "`idura-cognito secret rotate --stack doctor`" in refused.stderr and "--from-cognito" in refused.stderr


def test_a_setting_changed_in_the_console_is_named_with_both_values_and_both_ways_back(deployed, idura, boto):
    _, outputs = deployed
    cognito = boto("cognito-idp")
    pool = outputs["user_pool_id"]
    # The console restates every setting it does not change (UpdateUserPool resets what a call leaves out): the
    # linking trigger stays attached.
    triggers = cognito.describe_user_pool(UserPoolId=pool)["UserPool"].get("LambdaConfig", {})

    def self_sign_up(allowed: bool):
        return lambda: cognito.update_user_pool(
            UserPoolId=pool, AdminCreateUserConfig={"AllowAdminCreateUserOnly": not allowed}, LambdaConfig=triggers
        )

    result = broken(
        deployed,
        idura,
        self_sign_up(True),
        self_sign_up(False),
        {"cognito.settings"},
        "user pool acme-doctor: self sign-up is true in Cognito, false in the config",
    )
    fix = checks(result)["cognito.settings"]["fix"]
    assert fix == (
        "`idura-cognito deploy --stack doctor` puts the config's values back; to keep Cognito's instead, write "
        "user_pool.self_sign_up = true in the config"
    )
