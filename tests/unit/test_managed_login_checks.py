"""The doctor's managed login check (idura_cognito/doctor/managed_login_checks.py) against the moto wrapper's
branding styles (idura_cognito/local/moto_branding.py, modelled on the API Reference)."""

from __future__ import annotations

import uuid

from idura_cognito.doctor.managed_login_checks import styles
from tests.support.config import base_config, parsed_config


def stack():
    config = base_config()
    config["stacks"]["dev"]["domain"]["managed_login_version"] = 2
    return parsed_config(config, "idura-cognito.toml").stack("dev")


def test_a_client_without_a_style_fails_and_one_with_cognitos_default_passes(boto):
    cognito = boto("cognito-idp")
    pool = cognito.create_user_pool(PoolName=f"branding-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="acme-web")["UserPoolClient"]["ClientId"]
    config = stack()
    missing = styles(config, cognito, pool, {"default": client})
    assert missing.status == "fail"
    assert "no style for" in missing.detail and "create-managed-login-branding" in missing.fix

    cognito.create_managed_login_branding(UserPoolId=pool, ClientId=client, UseCognitoProvidedValues=True)
    assert styles(config, cognito, pool, {"default": client}).status == "pass"
