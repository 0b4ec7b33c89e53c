"""Real terraform + AWS provider 5.100.0 against moto: a created pool, hand-registered secret, full lifecycle."""

from __future__ import annotations

import json
import re

import pytest

from idura_cognito.definitions import linking
from tests.support.linking import package_hash
from tests.support.scenario import deploy
from tests.support.secrets import assert_not_shown

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 45  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

SECRET = "IDURA+TEST/SECRET=newpool+7f3a9c/x="  # the characters Idura's secrets carry
ROTATED = "IDURA+TEST/SECRET=rotated+21be04/y="


@pytest.fixture(scope="module")
def run(synthesized, cli_config, boto):
    config, outdir = synthesized
    return deploy("newpool", config, outdir, cli_config, boto, SECRET, rotated=ROTATED, rename=("spa", "web"))


def test_synthesized_stack_validates(run):
    # terraform validates the whole configuration before it plans or applies: a successful apply proves it
    assert run.apply_rc == 0 and run.second_plan[0] == 0


def test_plan_without_escrow_fails_naming_the_command(run):
    code, output = run.plan_without_escrow
    assert code == 1
    assert "No Idura client secret is escrowed for stack 'newpool'" in output
    assert "idura-cognito secret put --stack newpool" in output


def test_secret_put_then_apply_succeeds(run):
    assert run.secret_put_rc == 0
    assert run.apply_rc == 0


def test_second_plan_has_no_changes(run):
    # moto drops ManagedLoginVersion; idura_cognito.local.moto_server stores it, as Cognito does.
    code, output = run.second_plan
    assert code == 0, output


def test_every_cognito_provider_holds_the_escrowed_secret(run):
    assert run.escrowed == SECRET
    assert run.cognito_secrets == {"Idura": SECRET, "NO-BankID": SECRET, "MitID": SECRET}


def test_a_new_escrowed_secret_reaches_cognito_on_the_next_apply(run):
    code, output = run.rotation_plan
    assert code == 2
    assert "3 to change" in output
    assert run.cognito_secrets_after_rotation == {"Idura": ROTATED, "NO-BankID": ROTATED, "MitID": ROTATED}


def test_outputs_name_what_to_register_and_where_to_log_in(run):
    outputs = run.outputs
    assert outputs["idura_redirect_url"] == "https://acme-newpool.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    assert outputs["user_pool_id"].startswith("eu-north-1_")
    assert outputs["issuer"] == f"https://cognito-idp.eu-north-1.amazonaws.com/{outputs['user_pool_id']}"
    assert f"client_id={outputs['app_client_id']}" in outputs["hosted_login_urls"]["MitID"]


def test_the_pool_links_one_person_through_the_picker_and_a_pinned_button(run):
    """The linking trigger (docs/linking.md) as the CDKTF stack deployed it: the function Terraform built and
    uploaded is the pool's pre sign-up trigger, allowed only its two calls on this pool, and a person who signs in
    through the picker and then the MitID button is one user (the MitID login that links says "sign in again")."""
    trigger = run.linking
    function = trigger["function"]
    assert trigger["pre_sign_up"] == function["FunctionArn"]
    assert (function["Handler"], function["Runtime"], function["Timeout"]) == ("handler.handler", "python3.12", 5)
    assert json.loads(function["Environment"]["Variables"]["IDURA_PROVIDER_NAMES"]) == ["Idura", "NO-BankID", "MitID"]
    assert trigger["package"] is not None, "Terraform did not build the package where the function's filename is"
    assert function["CodeSha256"] == package_hash(trigger["package"]) == linking.package_hash()
    pool_arn = f"arn:aws:cognito-idp:eu-north-1:123456789012:userpool/{run.outputs['user_pool_id']}"
    cognito_statement, logs_statement = trigger["policy"]["Statement"]
    assert (cognito_statement["Action"], cognito_statement["Resource"]) == (
        ["cognito-idp:AdminGetUser", "cognito-idp:AdminLinkProviderForUser"],
        pool_arn,
    )
    assert logs_statement["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    (invoke,) = trigger["invoke_policy"]["Statement"]
    assert invoke["Principal"] == {"Service": "cognito-idp.amazonaws.com"}
    assert invoke["Condition"]["ArnLike"]["AWS:SourceArn"] == pool_arn

    sub, outcomes = run.one_person["sub"], run.one_person["outcomes"]
    assert outcomes == [("signed_up", f"idura_{sub}"), ("refused", None), ("linked", f"idura_{sub}")]


def test_a_client_renamed_in_the_config_moves_and_keeps_its_id(run):
    code, output = run.rename_plan
    # The Cognito client's name follows its key (no name = the key): an in-place update; never a replacement.
    assert code == 2 and re.search(r"Plan: 0 to add, [01] to change, 0 to destroy\.", output), output[:6000]
    # Terraform says "has moved to" for a move alone, "(moved from ...)" under an update.
    assert (
        "# aws_cognito_user_pool_client.app_client_spa has moved to aws_cognito_user_pool_client.app_client_web"
        in output
        or "# aws_cognito_user_pool_client.app_client_web will be updated in-place\n"
        "  # (moved from aws_cognito_user_pool_client.app_client_spa)"
        in output
    ), output[:6000]


def test_destroy_removes_the_pool(run):
    assert run.destroy_rc == 0
    assert run.user_pool_after_destroy is False


def test_no_output_contains_the_secret(run):
    assert_not_shown(run.transcript, SECRET, ROTATED)
