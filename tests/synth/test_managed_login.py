"""Managed login (version 2) renders pages only with a branding style per app client
(idura_cognito/definitions/managed_login.py): CDK Terrain (AWS provider 6) creates Cognito's default style for
each client a person logs in to; CDKTF and the rendered HCL (provider 5, no such resource) refuse version 2 for a
domain they create, in one line naming the reason and the ways out, and write nothing."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from idura_cognito.stacks import cdk_choice
from tests.support.cli import run_cli
from tests.support.config import base_config, write_config
from tests.support.paths import CLI

XDIST_GROUP = "managed-login"


def config_with_version_2(tmp_path):
    config = base_config()
    stack = config["stacks"]["dev"]
    stack["domain"]["managed_login_version"] = 2
    del stack["app_client"]
    stack["app_clients"] = {
        "web": {"callback_urls": ["https://app.acme.com/callback"]},
        "spa": {"callback_urls": ["https://spa.acme.com/callback"]},
        "backend": {"generate_secret": True, "oauth_flows": ["client_credentials"], "oauth_scopes": ["api/read"]},
    }
    return write_config(tmp_path / "idura-cognito.toml", config)


@pytest.mark.skipif(not cdk_choice.installed(cdk_choice.CDK_TERRAIN), reason="the [cdk-terrain] extra is not installed")
def test_cdk_terrain_creates_cognitos_default_style_for_every_client_with_a_login(tmp_path):
    path = config_with_version_2(tmp_path)
    env = {**os.environ, "IDURA_COGNITO_CDK": "cdk-terrain"}
    result = subprocess.run(
        [CLI, "synth", "--config", str(path), "--out", str(tmp_path / "out"), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    stack = json.loads((tmp_path / "out" / "stacks" / "dev" / "cdk.tf.json").read_text())
    styles = stack["resource"]["aws_cognito_managed_login_branding"]
    assert sorted(styles) == ["managed_login_branding_app_client_spa", "managed_login_branding_app_client_web"]
    for name, style in styles.items():
        client = name.removeprefix("managed_login_branding_")
        assert style["client_id"] == f"${{aws_cognito_user_pool_client.{client}.id}}"
        assert style["user_pool_id"] == "${aws_cognito_user_pool.user_pool.id}"
        assert style["use_cognito_provided_values"] is True
    assert stack["resource"]["aws_cognito_user_pool_domain"]["domain"]["managed_login_version"] == 2


def test_cdktf_refuses_version_2_in_one_line_and_writes_nothing(tmp_path):
    path = config_with_version_2(tmp_path)
    env = {**os.environ, "IDURA_COGNITO_CDK": "cdktf"}
    result = run_cli(
        "synth", "--config", str(path), "--out", str(tmp_path / "out"), "--no-cache", cwd=tmp_path, env=env
    )
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "stacks.dev.domain.managed_login_version: 2 shows Cognito's managed login pages only with a branding" in line
    assert "CDKTF runs the AWS provider 5" in line and "managed_login_version = 1" in line and "cdk-terrain" in line
    assert not (tmp_path / "out" / "stacks" / "dev" / "cdk.tf.json").exists()


def test_the_rendered_hcl_refuses_version_2_in_one_line_and_writes_nothing(tmp_path):
    path = config_with_version_2(tmp_path)
    result = run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", str(tmp_path / "hcl"), cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "the rendered HCL runs the AWS provider 5, which has no aws_cognito_managed_login_branding" in line
    assert not (tmp_path / "hcl").exists() or not any((tmp_path / "hcl").rglob("*.tf"))
