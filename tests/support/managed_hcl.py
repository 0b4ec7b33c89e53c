"""A managed stack rendered as HCL and run with the real terraform against moto and the emulator, and where its
secret is: the helpers the crash, race and lost-answer scenarios share."""

from __future__ import annotations

import ssl
from pathlib import Path

from idura_cognito.local.federated_login import login
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.idura_admin import sha256
from tests.support.secrets import cognito_secret, escrowed_secret
from tests.support.terraform import TerraformDir


def render(
    root: Path, name: str, moto, idura, cli_config, init: bool = True, as_users_run_it: bool = False
) -> tuple[TerraformDir, str]:
    """The managed stack ``name`` (client id ``urn:idura:test:<name>``) rendered into ``root/name``; its state
    is ``root/terraform.<name>.tfstate``. ``as_users_run_it``: the config names moto (aws.endpoint_url) and
    Terraform launches its providers itself (no reattached provider), exactly as on a user's machine."""
    import os

    from tests.support.paths import PLAIN_TERRAFORM_ENV

    realm = f"urn:idura:test:{name}"
    config = one_stack_config(idura.domain, name, endpoint_url=moto.url if as_users_run_it else None)
    path = write_config(root / f"{name}.toml", config)
    out = root / name
    assert run_cli("hcl", "--config", str(path), "--stack", name, "--out", str(out)).returncode == 0
    env = dict(idura.environment())
    if as_users_run_it and os.environ.get(PLAIN_TERRAFORM_ENV):
        env["PATH"] = f"{os.environ[PLAIN_TERRAFORM_ENV]}{os.pathsep}{os.environ['PATH']}"
    tf = TerraformDir.at(out, cli_config, env)
    if init:
        tf.init()
    return tf, realm


def secrets_everywhere(tf: TerraformDir, boto, admin, realm: str) -> tuple[str, str, str]:
    """SHA-256 of Idura's current secret, the escrowed one and the one Cognito holds."""
    outputs = tf.outputs()
    return (
        admin.application(realm)["secretSha256"],
        sha256(escrowed_secret(boto, outputs["escrow_secret_name"])),
        sha256(cognito_secret(boto, outputs["user_pool_id"])),
    )


def agree(tf: TerraformDir, boto, admin, realm: str) -> bool:
    return len(set(secrets_everywhere(tf, boto, admin, realm))) == 1


def cognito_login(tf: TerraformDir, boto, idura) -> dict:
    outputs = tf.outputs()
    details = boto("cognito-idp").describe_identity_provider(UserPoolId=outputs["user_pool_id"], ProviderName="Idura")
    verify = ssl.create_default_context(cafile=idura.ca_file)
    return login(details["IdentityProvider"]["ProviderDetails"], outputs["idura_redirect_url"], verify=verify)
