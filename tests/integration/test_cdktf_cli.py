"""The CDKTF entry points: `python main.py` and `cdktf deploy|destroy` through the cdktf.json that
`idura-cognito init` scaffolds in a user's folder (its app is `idura-cognito synth`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idura_cognito.definitions.naming import escrow_name
from tests.support.cli import run_cli
from tests.support.config import base_config, write_config
from tests.support.paths import CLI, ROOT

# The config names moto itself (aws.endpoint_url): nothing else may point AWS calls there.
pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("endpoint_from_config_only")]
XDIST_GROUP = "cdktf-cli-in-the-project-folder"  # both run `npx cdktf` in the project: never at the same time
SCENARIO_SECONDS = 30  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

SECRET = "IDURA-TEST-SECRET-cdktf-cli-e4b8aa"
STACK = "cdkcli"


@pytest.fixture(scope="module")
def cdk_config(tmp_path_factory, moto):
    folder = tmp_path_factory.mktemp("cdkcli")
    config = base_config()
    config["defaults"]["aws"]["endpoint_url"] = moto.url
    stack = config["stacks"].pop("dev")
    stack["idura"]["client_id"] = "urn:idura:test:cdkcli"
    stack["domain"]["prefix"] = "acme-cdkcli"
    stack["user_pool"]["name"] = "acme-cdkcli"
    stack["backend"] = {"type": "local", "path": str(folder / "cdkcli.tfstate")}
    config["stacks"][STACK] = stack
    return folder, write_config(folder / "idura-cognito.toml", config)


def _env(config, cli_config):
    return {
        **os.environ,
        "PATH": f"{Path(CLI).parent}{os.pathsep}{os.environ['PATH']}",  # idura-cognito, as pipx puts it
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "CHECKPOINT_DISABLE": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }


def test_python_main_py_synthesizes_every_stack_to_cdktf_out(cdk_config):
    folder, config = cdk_config
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "IDURA_COGNITO_CONFIG": str(config)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    synthesized = json.loads((folder / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text())
    assert "aws_cognito_identity_provider" in synthesized["resource"]


def test_cdktf_deploy_and_destroy_from_a_scaffolded_folder(cdk_config, cli_config, boto):
    folder, config = cdk_config
    scaffolded = folder / "infra"
    assert run_cli("init", str(scaffolded)).returncode == 0
    shutil.copy(config, scaffolded / "idura-cognito.toml")
    put = run_cli("secret", "put", "--stack", STACK, input=SECRET, cwd=scaffolded)
    assert put.returncode == 0, put.stderr
    transcript = [put.stdout, put.stderr]
    # --skip-provider-lock: `terraform providers lock` would ask the registry, which is offline here.
    args = [
        str(ROOT / "node_modules" / ".bin" / "cdktf"),
        "deploy",
        STACK,
        "--auto-approve",
        "--skip-provider-lock",
        "--output",
        str(folder / "out"),
    ]
    deploy = subprocess.run(
        args, cwd=scaffolded, capture_output=True, text=True, env=_env(config, cli_config), timeout=600
    )
    transcript += [deploy.stdout, deploy.stderr]
    assert deploy.returncode == 0, deploy.stdout[-3000:]

    cognito = boto("cognito-idp")
    pool = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "acme-cdkcli")
    details = cognito.describe_identity_provider(UserPoolId=pool["Id"], ProviderName="Idura")
    assert details["IdentityProvider"]["ProviderDetails"]["client_secret"] == SECRET
    escrow = escrow_name("acme-corp.test.idura.broker", "urn:idura:test:cdkcli")
    escrowed = boto("secretsmanager").get_secret_value(SecretId=escrow)
    assert json.loads(escrowed["SecretString"]) == {"client_secret": SECRET}

    args[1] = "destroy"
    destroy = subprocess.run(
        args, cwd=scaffolded, capture_output=True, text=True, env=_env(config, cli_config), timeout=600
    )
    transcript += [destroy.stdout, destroy.stderr]
    assert destroy.returncode == 0, destroy.stdout[-3000:]
    assert all(p["Name"] != "acme-cdkcli" for p in cognito.list_user_pools(MaxResults=60)["UserPools"])
    assert SECRET not in "\n".join(transcript)
