"""The doctor's linking check (idura_cognito/doctor/linking_checks.py), one test per broken link, against the
moto wrapper's Cognito and Lambda (moto stores functions and the pool's LambdaConfig as AWS does; it runs none)."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest

from idura_cognito.definitions import linking
from idura_cognito.doctor.linking_checks import trigger
from tests.support.config import base_config, parsed_config

MITID = {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}


def stack(**user_pool):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [MITID]
    config["stacks"]["dev"]["user_pool"] |= user_pool
    return parsed_config(config, "idura-cognito.toml").stack("dev")


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@pytest.fixture()
def aws(boto):
    return boto("cognito-idp"), boto("lambda")


@pytest.fixture(scope="module")
def role(boto) -> str:
    """moto, as Lambda, refuses a role that does not exist."""
    document = json.dumps(linking.assume_role_policy())
    name = f"link-{uuid.uuid4().hex[:6]}"
    return boto("iam").create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]


def deployed(aws, role, config, *, providers=None, attach=True, name=None) -> str:
    cognito, lam = aws
    name = name or linking.function_name(config.escrow_name)
    arn = lam.create_function(
        FunctionName=name,
        Runtime=linking.RUNTIME,
        Role=role,
        Handler=linking.HANDLER,
        Code={"ZipFile": zipped()},
        Environment={"Variables": {linking.PROVIDER_NAMES_ENV: json.dumps(providers or list(config.idp_names))}},
    )["FunctionArn"]
    pool = cognito.create_user_pool(
        PoolName=f"doctor-{uuid.uuid4().hex[:6]}", LambdaConfig={"PreSignUp": arn} if attach else {}
    )["UserPool"]["Id"]
    return pool


@pytest.fixture()
def fresh_names(monkeypatch):
    """moto's functions live for the session: each test's stack gets a function name of its own."""
    suffix = uuid.uuid4().hex[:6]
    real = linking.function_name
    monkeypatch.setattr(linking, "function_name", lambda escrow: real(escrow) + suffix)


def test_the_stacks_function_attached_with_its_providers_passes(aws, role, fresh_names):
    config = stack()
    result = trigger(config, *aws, deployed(aws, role, config))
    assert result.status == "pass", result
    assert "Idura, MitID" in result.detail


def test_a_pool_without_the_trigger_fails_naming_deploy(aws, role, fresh_names):
    config = stack()
    result = trigger(config, *aws, deployed(aws, role, config, attach=False))
    assert result.status == "fail"
    assert "trigger is none" in result.detail and "idura-cognito deploy --stack dev" in result.fix


def test_a_function_deleted_outside_terraform_fails(aws, role, fresh_names):
    config = stack()
    pool = deployed(aws, role, config)
    aws[1].delete_function(FunctionName=linking.function_name(config.escrow_name))
    result = trigger(config, *aws, pool)
    assert result.status == "fail"
    assert "ResourceNotFoundException" in result.detail and "recovery" in result.fix


def test_a_function_that_links_other_providers_fails(aws, role, fresh_names):
    config = stack()
    result = trigger(config, *aws, deployed(aws, role, config, providers=["Idura"]))
    assert result.status == "fail"
    assert "['Idura', 'MitID']" in result.detail


def test_another_function_as_trigger_fails(aws, role, fresh_names):
    config = stack()
    pool = deployed(aws, role, config, name=f"someone-elses-{uuid.uuid4().hex[:6]}")
    result = trigger(config, *aws, pool)
    assert result.status == "fail" and "someone-elses-" in result.detail


def test_the_teams_own_trigger_must_be_the_one_the_config_names(aws, role, fresh_names):
    config = stack()
    pool = deployed(aws, role, config)
    attached = aws[0].describe_user_pool(UserPoolId=pool)["UserPool"]["LambdaConfig"]["PreSignUp"]
    assert trigger(stack(pre_sign_up_lambda_arn=attached), *aws, pool).status == "pass"
    other = "arn:aws:lambda:eu-north-1:123456789012:function:team-trigger"
    result = trigger(stack(pre_sign_up_lambda_arn=other), *aws, pool)
    assert result.status == "fail" and other in result.detail


def test_turned_off_is_said_not_judged(aws, role, fresh_names):
    config = stack(link_federated_users=False)
    result = trigger(config, *aws, deployed(aws, role, config, attach=False))
    assert result.status == "skip" and "two users" in result.detail
