"""Real terraform against moto: a pool and domain that exist already; the product adds IdPs and a client."""

from __future__ import annotations

import pytest

from tests.support.scenario import deploy

pytestmark = pytest.mark.terraform

SECRET = "IDURA+TEST/SECRET=existing+5d1e62/z="


@pytest.fixture(scope="module")
def run(synthesized, cli_config, boto):
    config, outdir = synthesized
    return deploy("existing", config, outdir, cli_config, boto, SECRET)


def test_plan_without_escrow_fails_naming_the_command(run):
    code, output = run.plan_without_escrow
    assert code == 1
    assert "idura-cognito secret put --stack existing" in output


def test_apply_then_no_changes(run):
    assert run.validate_rc == 0
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


def test_destroy_leaves_the_existing_pool_alone(run):
    assert run.destroy_rc == 0
    assert run.user_pool_after_destroy is True
    assert run.remaining_providers == []


def test_no_output_contains_the_secret(run):
    joined = "\n".join(run.transcript)
    assert joined
    assert SECRET not in joined
