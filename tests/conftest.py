"""Shared fixtures. Slow things (moto, the CDKTF synth) start once per session and are shared."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLI = str(BIN / "idura-cognito")

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CHECKPOINT_DISABLE", "1")

#: A complete, valid one-stack config; tests copy it and change one thing.
BASE_CONFIG: dict = {
    "defaults": {
        "aws": {"region": "eu-north-1"},
        "idura": {"domain": "acme-corp.test.idura.broker"},
    },
    "stacks": {
        "dev": {
            "idura": {"client_id": "urn:idura:acme:dev"},
            "user_pool": {"name": "acme-dev"},
            "domain": {"prefix": "acme-dev-login"},
            "app_client": {"callback_urls": ["https://app.acme.com/callback"]},
        }
    },
}


def base_config() -> dict:
    return copy.deepcopy(BASE_CONFIG)


def write_config(path: Path, config: dict) -> Path:
    path.write_text(tomli_w.dumps(config))
    return path


def run_cli(*args: str, input: str | None = None, env: dict | None = None, cwd: Path | None = None):
    """Run the installed console script as a user would; returns the CompletedProcess."""
    return subprocess.run(
        [CLI, *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def pytest_collection_modifyitems(config, items):
    """With `pytest -n 2 --dist loadgroup`, each file runs on one worker (its module-scoped Terraform scenario runs
    once); files that drive the cdktf CLI in the project folder share one group so they never overlap."""
    for item in items:
        group = getattr(item.module, "XDIST_GROUP", None) or item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("artifacts")


@pytest.fixture(scope="session")
def aws_credentials():
    """moto accepts any keys; set dummy ones so nothing can reach a real account by accident."""
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    os.environ.pop("AWS_PROFILE", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def moto(artifacts, aws_credentials):
    from idura_cognito.emulators.processes import start_moto

    server = start_moto(artifacts / "logs")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def boto(moto):
    import boto3

    def client(service: str):
        return boto3.client(service, region_name="eu-north-1", endpoint_url=moto.url)

    return client


@pytest.fixture(scope="session")
def existing_pool(boto):
    """A pool and prefix domain made outside the product, as a team's existing setup would be."""
    cognito = boto("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="acme-existing")["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="acme-existing", UserPoolId=pool_id)
    return pool_id, "acme-existing"


TEST_TOKEN = "IDURA-TEST-TOKEN-b7c1e9d24a"  # noqa: S105 - recognisable, so leak checks can search for it


@pytest.fixture(scope="session")
def idura(artifacts):
    """The Idura emulator over HTTPS (throwaway CA), as the managed stacks' Idura domain."""
    from idura_cognito.emulators.processes import start_idura_emulator

    emulator = start_idura_emulator(artifacts / "idura", token=TEST_TOKEN)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def idura_admin(idura):
    from tests.support.idura_admin import EmulatorAdmin

    return EmulatorAdmin(idura)


@pytest.fixture(scope="session")
def cli_config(artifacts) -> Path:
    """The project's CLI config plus a test-only mirror holding the stand-in for hashicorp/external."""
    from idura_cognito import toolchain
    from tests.support.external_provider import install_stand_in

    mirror = install_stand_in(artifacts / "test-mirror")
    return toolchain.write_cli_config(artifacts / "cli.tfrc", extra_mirrors=[mirror])


@pytest.fixture(scope="session")
def synthesized(artifacts, moto, existing_pool, idura):
    """Synthesize every test stack once, through the CLI as a user would. Returns (config path, outdir)."""
    from tests.support.stacks import test_config

    state_dir = artifacts / "state"
    state_dir.mkdir()
    config = write_config(
        artifacts / "idura-cognito.toml",
        test_config(moto.url, state_dir, *existing_pool, idura_domain=idura.domain),
    )
    outdir = artifacts / "cdktf.out"
    result = run_cli("synth", "--config", str(config), "--out", str(outdir), cwd=artifacts)
    assert result.returncode == 0, result.stderr
    return config, outdir


def stack_json(outdir: Path, stack: str) -> dict:
    import json

    return json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
