"""End to end from HCL: render, copy the folder elsewhere (as a team checks it in), apply against moto and the
emulator, then a second plan with no changes, then destroy. The program runs as `python3 <zipapp>`."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import run_cli, write_config
from tests.support.idura_admin import sha256
from tests.support.stacks import one_stack_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration

REALM = "urn:idura:test:hcl-e2e"


@pytest.fixture(scope="module")
def run(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("hcl-e2e")
    pinned = [{"name": "NO-BankID", "acr": "urn:grn:authn:no:bankid"}]
    config = one_stack_config(moto.url, idura.domain, "hcl-e2e", pinned_eids=pinned)
    path = write_config(root / "idura-cognito.toml", config)
    assert (
        run_cli("hcl", "--config", str(path), "--stack", "hcl-e2e", "--out", str(root / "rendered")).returncode
        == 0
    )
    checked_in = root / "infra-repo" / "cognito"
    shutil.copytree(root / "rendered", checked_in)

    tf = TerraformDir(checked_in, cli_config, extra_env=idura.environment())
    r: dict = {}
    tf.init()
    idura_admin.clear_requests()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    r["apply_calls"] = dict(idura_admin.routes())
    r["outputs"] = tf.outputs()
    pool, escrow = r["outputs"]["user_pool_id"], r["outputs"]["escrow_secret_name"]
    r["apps"] = idura_admin.applications(REALM)
    escrowed = boto("secretsmanager").get_secret_value(SecretId=escrow)["SecretString"]
    r["escrow_sha"] = sha256(escrowed)
    cognito = boto("cognito-idp")
    r["cognito_sha"] = {
        name: sha256(
            cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)["IdentityProvider"][
                "ProviderDetails"
            ]["client_secret"]
        )
        for name in ("Idura", "NO-BankID")
    }
    idura_admin.clear_requests()
    r["second_plan"] = tf.plan_exit_code()[0]
    r["second_plan_calls"] = dict(idura_admin.routes())
    tf.run("destroy", "-input=false", "-auto-approve", "-no-color")
    r["pools_after_destroy"] = [p["Name"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]]
    r["transcript"] = "\n".join(tf.transcript)
    r["escrowed"] = escrowed
    return r


def test_apply_creates_the_application_and_escrows_its_secret_in_cognito(run):
    assert run["apply_calls"] == {"find": 1, "create": 1, "secret": 1}
    (app,) = run["apps"]
    assert app["returnUrls"] == ["https://acme-hcl-e2e.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]
    assert app["secretSha256"] == run["escrow_sha"]
    assert set(run["cognito_sha"].values()) == {run["escrow_sha"]}
    assert run["outputs"]["idura_application_id"] == app["id"]


def test_second_plan_has_no_changes(run):
    assert run["second_plan"] == 0
    assert run["second_plan_calls"] == {"find": 1}


def test_destroy_and_nothing_leaked(run):
    assert "acme-hcl-e2e" not in run["pools_after_destroy"]
    assert run["escrowed"] not in run["transcript"]
