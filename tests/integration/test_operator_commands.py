"""The operator's commands end to end: deploy, secret status/rotate, destroy --purge-idura (managed mode),
through the real cdktf CLI and terraform against moto and the emulator. No command prints a secret."""

from __future__ import annotations

import pytest

from idura_cognito.escrow import digest
from tests.conftest import TEST_TOKEN, run_cli, write_config
from tests.support.idura_admin import sha256
from tests.support.stacks import one_stack_config

pytestmark = pytest.mark.terraform
XDIST_GROUP = "cdktf-cli-in-the-project-folder"  # both run `npx cdktf` in the project: never at the same time

REALM = "urn:idura:test:ops"
STACK = "ops"


@pytest.fixture(scope="module")
def session(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("operator")
    backend = {"type": "local", "path": str(root / "ops.tfstate")}
    path = write_config(
        root / "idura-cognito.toml", one_stack_config(moto.url, idura.domain, STACK, backend=backend)
    )
    env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}
    outputs: list[str] = []
    r: dict = {}

    def cli(*args: str, input: str | None = None):
        result = run_cli(*args, "--config", str(path), input=input, env=env)
        outputs.extend([result.stdout, result.stderr])
        return result

    secrets, cognito = boto("secretsmanager"), boto("cognito-idp")
    escrow = None

    def pool_id():
        return next(
            (p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "acme-ops"), None
        )

    def cognito_secret():
        details = cognito.describe_identity_provider(UserPoolId=pool_id(), ProviderName="Idura")
        return details["IdentityProvider"]["ProviderDetails"]["client_secret"]

    r["status_before"] = cli("secret", "status", "--stack", STACK)
    synth_out = ["--out", str(root / "cdktf.out")]  # not the project's cdktf.out: its .terraform is not ours
    r["deploy"] = cli("deploy", "--stack", STACK, *synth_out)
    assert r["deploy"].returncode == 0, r["deploy"].stderr[-3000:]
    from idura_cognito.config import load_config

    escrow = load_config(path).stack(STACK).escrow_name
    first = secrets.get_secret_value(SecretId=escrow)["SecretString"]
    r["status_after"] = cli("secret", "status", "--stack", STACK)
    r["first"] = first
    r["rotate"] = cli("secret", "rotate", "--stack", STACK)
    rotated = secrets.get_secret_value(SecretId=escrow)["SecretString"]
    r["rotated"] = rotated
    r["idura_sha_after_rotate"] = idura_admin.application(REALM)["secretSha256"]
    r["cognito_after_rotate"] = cognito_secret()
    idura_admin.clear_requests()
    r["redeploy"] = cli("deploy", "--stack", STACK, "--quiet", *synth_out)
    r["redeploy_calls"] = dict(idura_admin.routes())
    r["cognito_after_redeploy"] = cognito_secret()
    r["purge_unconfirmed"] = cli("destroy", "--stack", STACK, "--purge-idura", *synth_out)
    r["pool_after_unconfirmed"] = pool_id()
    r["destroy"] = cli("destroy", "--stack", STACK, "--purge-idura", "--yes", *synth_out)
    r["pool_after_destroy"] = pool_id()
    r["apps_after_destroy"] = idura_admin.applications(REALM)
    r["escrow_after_destroy"] = secrets.list_secrets(Filters=[{"Key": "name", "Values": [escrow]}])["SecretList"]
    r["outputs"] = "\n".join(outputs)
    return r


def test_secret_status_before_and_after_deploy(session):
    before = session["status_before"]
    assert before.returncode == 1
    assert before.stdout.endswith(": missing (apply the stack)\n")
    after = session["status_after"]
    assert after.returncode == 0
    assert "present, last changed 20" in after.stdout and f"digest {digest(session['first'])}" in after.stdout


def test_deploy_shows_progress(session):
    deploy = session["deploy"]
    assert deploy.returncode == 0, deploy.stderr
    assert "==> cdktf deploy ops (synth, init, deploy) ..." in deploy.stderr
    assert "done in" in deploy.stderr


def test_rotate_issues_a_new_secret_into_the_escrow_and_says_what_happens_next(session):
    rotate = session["rotate"]
    assert rotate.returncode == 0, rotate.stderr
    assert "next: apply the stack to carry it to Cognito; logins through Idura fail until then" in rotate.stderr
    assert session["rotated"] != session["first"]
    assert session["idura_sha_after_rotate"] == sha256(session["rotated"])
    assert session["cognito_after_rotate"] == session["first"]  # Cognito changes only with the next apply


def test_next_deploy_carries_the_rotated_secret_without_rotating_again(session):
    assert session["redeploy"].returncode == 0
    assert session["redeploy"].stderr == ""  # --quiet
    assert session["cognito_after_redeploy"] == session["rotated"]
    assert session["redeploy_calls"] == {"find": 1}  # the escrow's secret id is current: nothing issued


def test_purge_needs_confirmation_and_then_removes_everything(session):
    unconfirmed = session["purge_unconfirmed"]
    assert unconfirmed.returncode == 2
    assert "confirm with --yes when not on a terminal" in unconfirmed.stderr
    assert session["pool_after_unconfirmed"] is not None  # nothing was destroyed
    assert session["destroy"].returncode == 0, session["destroy"].stderr
    assert session["pool_after_destroy"] is None
    assert session["apps_after_destroy"] == []
    assert session["escrow_after_destroy"] == []


def test_no_command_printed_a_secret_or_the_token(session):
    assert session["outputs"]
    for secret in (session["first"], session["rotated"], TEST_TOKEN):
        assert secret not in session["outputs"]
