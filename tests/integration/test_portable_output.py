"""Portable output: a synthesized stack folder and a rendered HCL folder each keep working after being moved to
another path (another machine, a Terraform Cloud worker): both run the program as `python3 -I <path relative to
the folder>`, with the program copied into the folder. Applied against moto and the emulator in the new place."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import TEST_TOKEN, run_cli, write_config
from tests.support.idura_admin import sha256
from tests.support.stacks import one_stack_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform


def deployed_from(folder, cli_config, idura, idura_admin, boto, realm: str) -> dict:
    tf = TerraformDir.at(folder, cli_config, idura.environment())
    tf.init()
    idura_admin.clear_requests()
    tf.allowed().apply()
    outputs = tf.outputs()
    document = boto("secretsmanager").get_secret_value(SecretId=outputs["escrow_secret_name"])["SecretString"]
    secret = json.loads(document)["client_secret"]
    return {
        "calls": dict(idura_admin.routes()),
        "agree": idura_admin.application(realm)["secretSha256"] == sha256(secret),
        "second_plan": tf.plan_code()[0],
        "tf": tf,
        "secret": secret,
    }


def test_a_synthesized_stack_folder_runs_after_a_move(tmp_path, moto, idura, idura_admin, boto, cli_config):
    path = write_config(tmp_path / "idura-cognito.toml", one_stack_config(moto.url, idura.domain, "portable-cdktf"))
    result = run_cli("synth", "--config", str(path), "--out", str(tmp_path / "cdktf.out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stack = tmp_path / "cdktf.out" / "stacks" / "portable-cdktf"
    program = json.loads((stack / "cdk.tf.json").read_text())["data"]["external"]["idura_application"]["program"]
    assert program == ["python3", "-I", "${path.module}/bin/idura_application.pyz"]
    moved = tmp_path / "another" / "machine" / "portable-cdktf"
    shutil.move(stack, moved)
    shutil.rmtree(tmp_path / "cdktf.out")
    run = deployed_from(moved, cli_config, idura, idura_admin, boto, "urn:idura:test:portable-cdktf")
    assert run["calls"] == {"find": 1, "create": 1, "secret": 1}
    assert run["agree"] and run["second_plan"] == 0
    assert run["secret"] not in run["tf"].text() and TEST_TOKEN not in run["tf"].text()


def test_a_rendered_hcl_folder_runs_after_a_move_and_destroys(tmp_path, moto, idura, idura_admin, boto, cli_config):
    name = "portable-hcl"
    path = write_config(tmp_path / "idura-cognito.toml", one_stack_config(moto.url, idura.domain, name))
    rendered = tmp_path / "rendered"
    assert run_cli("hcl", "--config", str(path), "--stack", name, "--out", str(rendered)).returncode == 0
    checked_in = tmp_path / "infra-repo" / "cognito"
    shutil.copytree(rendered, checked_in)
    shutil.rmtree(rendered)
    run = deployed_from(checked_in, cli_config, idura, idura_admin, boto, f"urn:idura:test:{name}")
    assert run["calls"] == {"find": 1, "create": 1, "secret": 1}
    assert run["agree"] and run["second_plan"] == 0
    run["tf"].destroy()
    transcript = run["tf"].text()
    assert run["secret"] not in transcript and TEST_TOKEN not in transcript
