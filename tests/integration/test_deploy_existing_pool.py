"""Real terraform against moto: a pool and domain that exist already; the product adds IdPs and a client. The
same state, planned from the rendered HCL, moves every resource into the module and changes nothing."""

from __future__ import annotations

import re

import pytest

from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.scenario import deploy
from tests.support.secrets import assert_not_shown

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 35  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

SECRET = "IDURA+TEST/SECRET=existing+5d1e62/z="


@pytest.fixture(scope="module")
def run(synthesized, cli_config, boto):
    config, outdir = synthesized
    return deploy("existing", config, outdir, cli_config, boto, SECRET, hcl_out=outdir.parent / "hcl-existing")


def test_plan_without_escrow_fails_naming_the_command(run):
    code, output = run.plan_without_escrow
    assert code == 1
    assert "idura-cognito secret put --stack existing" in output


def test_apply_then_no_changes(run):
    assert run.secret_put_rc == 0
    assert run.apply_rc == 0
    code, output = run.second_plan
    assert code == 0, output


def test_providers_on_the_existing_pool_hold_the_escrowed_secret(run, existing_pool):
    assert run.outputs["user_pool_id"] == existing_pool[0]
    assert run.escrowed == SECRET
    assert run.cognito_secrets == {"eID": SECRET, "MitID": SECRET, "SE-BankID": SECRET}


def test_redirect_url_uses_the_existing_domain(run):
    assert (
        run.outputs["idura_redirect_url"]
        == "https://acme-existing.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    )


def test_a_hand_registered_stack_on_an_existing_pool_moves_too(run):
    code, output = run.hcl_plan
    assert code == 2 and "Plan: 0 to add, 0 to change, 0 to destroy." in output, output
    moves = re.findall(r"# (\S+) has moved to (\S+)", output)
    assert sorted(moves) == [  # three providers and the app client; the pool and domain are not managed
        ("aws_cognito_identity_provider.eid_mitid", 'module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]'),
        (
            "aws_cognito_identity_provider.eid_se_bankid",
            'module.idura_cognito.aws_cognito_identity_provider.eid["SE-BankID"]',
        ),
        ("aws_cognito_identity_provider.idura", "module.idura_cognito.aws_cognito_identity_provider.idura"),
        (
            "aws_cognito_user_pool_client.app_client",
            'module.idura_cognito.aws_cognito_user_pool_client.app_client["default"]',
        ),
    ]


def test_destroy_leaves_the_existing_pool_alone(run):
    assert run.destroy_rc == 0
    assert run.user_pool_after_destroy is True
    assert run.remaining_providers == []


def test_no_output_contains_the_secret(run):
    assert_not_shown(run.transcript, SECRET)


@pytest.mark.parametrize("rendering", ["cdktf", "hcl"])
def test_an_existing_domain_that_is_not_the_pool_s_registers_nothing_at_idura(
    rendering, existing_pool, idura, idura_admin, cli_config, tmp_path
):
    """The review's attack: `domain.existing = "login.attacker.example"` would register
    https://login.attacker.example/oauth2/idpresponse at Idura. On an existing pool the domain is checked against
    the pool's own (DescribeUserPool's Domain/CustomDomain) before the program runs: the plan stops naming both,
    and Idura is not even asked."""
    pool_id, _ = existing_pool
    config = one_stack_config(
        idura.domain, f"attack{rendering}", user_pool={"existing_id": pool_id},
        domain={"existing": "login.attacker.example"},
    )  # fmt: skip
    path = write_config(tmp_path / "idura-cognito.toml", config)
    env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}
    where = []
    if rendering == "hcl":
        hcl = run_cli("hcl", "--config", str(path), "--stack", f"attack{rendering}", "--out", "hcl", cwd=tmp_path)
        assert hcl.returncode == 0, hcl.stderr
        where = ["--hcl", "hcl"]
    idura_admin.clear_requests()
    plan = run_cli("plan", "--config", str(path), "--stack", f"attack{rendering}", *where, env=env, cwd=tmp_path)
    assert plan.returncode == 1
    flat = " ".join(plan.stderr.split())
    assert f"domain.existing = login.attacker.example is not a domain of user pool {pool_id}" in flat.replace('"', "")
    assert '["acme-existing"]' in flat
    assert [r for r in idura_admin.requests() if "attack" in r.get("query", "")] == []


def test_a_new_pool_cannot_have_an_existing_domain(tmp_path):
    config = one_stack_config("acme.idura.broker", "newattack", domain={"existing": "login.attacker.example"})
    path = write_config(tmp_path / "idura-cognito.toml", config)
    result = run_cli("hcl", "--config", str(path), "--stack", "newattack", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "stacks.newattack.domain.existing: names a domain of an existing pool" in result.stderr
    assert not (tmp_path / "out").exists()
