"""Renders for the HCL tests: the embedded demo and variants, each rendered once per session through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.config import base_config, write_config
from tests.support.paths import DEMO_CONFIG


def _variants() -> dict:
    config = base_config()
    dev = config["stacks"]["dev"]
    config["stacks"]["s3"] = dev | {
        "idura": {"client_id": "acme-s3"},
        "user_pool": {"existing_id": "eu-north-1_AbCdEf123"},
        "domain": {"existing": "login.acme.com"},
        "pinned_eids": [
            {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"},
            {"name": "SE-BankID", "acr": "urn:grn:authn:se:bankid"},
        ],
        "backend": {"type": "s3", "bucket": "acme-tfstate", "key": "cognito/s3.tfstate", "region": "eu-north-1"},
    }
    config["stacks"]["tfc"] = dev | {
        "idura": {"client_id": "urn:idura:acme:tfc", "secret_source": "managed"},
        "backend": {"type": "cloud", "organization": "acme", "workspace": "cognito-prod", "project": "identity"},
    }
    return config


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Path]:
    """stack -> rendered folder, for the demo (managed) and hand-registered, s3 and cloud variants."""
    root = tmp_path_factory.mktemp("hcl")
    config = write_config(root / "variants.toml", _variants())
    out = {}
    for config_path, stack in (
        (DEMO_CONFIG, "demo"),
        (config, "dev"),
        (config, "s3"),
        (config, "tfc"),
    ):
        folder = root / stack
        result = run_cli("hcl", "--config", str(config_path), "--stack", stack, "--out", str(folder))
        assert result.returncode == 0, result.stderr
        out[stack] = folder
    return out
