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


def render(root: Path, name: str, moto, idura, cli_config, init: bool = True) -> tuple[TerraformDir, str]:
    """The managed stack ``name`` (client id ``urn:idura:test:<name>``) rendered into ``root/name``, which keeps
    its local state in its own folder. The config names no AWS endpoint: the `moto` fixture's AWS_ENDPOINT_URL
    reaches moto, as production reaches AWS (a rendered folder run with Terraform launching its providers and
    the endpoint in the config is the user path's, tests/packaging/test_user_path.py)."""
    realm = f"urn:idura:test:{name}"
    config = one_stack_config(idura.domain, name)
    path = write_config(root / f"{name}.toml", config)
    out = root / name
    assert run_cli("hcl", "--config", str(path), "--stack", name, "--out", str(out)).returncode == 0
    tf = TerraformDir.at(out, cli_config, dict(idura.environment()))
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
