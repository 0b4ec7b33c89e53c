"""A rendered root keeps its local state in its folder; a state beside the config (the CDKTF stack's, or where
0.3 kept a rendered root's) is moved there by `hcl --move-state`, and until then the product refuses the root
(its plan would create everything again). Real files, the real CLI; no Terraform is needed to refuse or move."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import run_cli
from tests.support.config import base_config, write_config

STATE = {"version": 4, "serial": 7, "lineage": "l", "resources": [{"type": "aws_cognito_user_pool", "name": "p"}]}


@pytest.fixture
def project(tmp_path):
    config = write_config(tmp_path / "idura-cognito.toml", base_config())
    assert run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", cwd=tmp_path).returncode == 0
    return tmp_path, config


def test_a_new_root_keeps_its_state_in_its_folder(project):
    folder, _ = project
    assert 'path = "terraform.tfstate"' in (folder / "hcl" / "versions.tf").read_text()


def test_a_state_beside_the_config_is_refused_then_moved_with_its_backup(project):
    folder, config = project
    shared = folder / "terraform.dev.tfstate"
    shared.write_text(json.dumps(STATE))
    (folder / "terraform.dev.tfstate.backup").write_text(json.dumps(STATE | {"serial": 6}))
    (folder / "hcl" / ".terraform").mkdir()
    (folder / "hcl" / ".terraform" / "terraform.tfstate").write_text('{"backend": {"config": {"path": "../x"}}}')

    refused = run_cli("plan", "--config", str(config), "--stack", "dev", "--hcl", "hcl", cwd=folder)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "--move-state" in refused.stderr and 'backend.path = "terraform.dev.tfstate"' in refused.stderr

    rendered = run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", cwd=folder)
    assert "--move-state" in rendered.stderr  # the render names the move too

    moved = run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", "--move-state", cwd=folder)
    assert moved.returncode == 0 and "moved terraform.dev.tfstate to hcl/terraform.tfstate" in moved.stderr
    target = folder / "hcl" / "terraform.tfstate"
    assert json.loads(target.read_text()) == STATE and target.stat().st_mode & 0o777 == 0o600
    assert json.loads((folder / "hcl" / "terraform.tfstate.backup").read_text())["serial"] == 6
    assert not shared.exists() and not (folder / "terraform.dev.tfstate.backup").exists()
    assert not (folder / "hcl" / ".terraform" / "terraform.tfstate").exists()  # the old path's record

    again = run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", "--move-state", cwd=folder)
    assert again.returncode == 0 and "nothing to move" in again.stderr


def test_two_states_are_never_merged_or_overwritten(project):
    folder, config = project
    (folder / "terraform.dev.tfstate").write_text(json.dumps(STATE))
    (folder / "hcl" / "terraform.tfstate").write_text(json.dumps(STATE | {"serial": 9}))
    refused = run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", "--move-state", cwd=folder)
    assert refused.returncode == 1 and "both" in refused.stderr and "nothing was moved" in refused.stderr
    assert json.loads((folder / "hcl" / "terraform.tfstate").read_text())["serial"] == 9
    assert (folder / "terraform.dev.tfstate").exists()


def test_backend_path_keeps_one_state_for_both_renderings(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["backend"] = {"type": "local", "path": "terraform.dev.tfstate"}
    path = write_config(tmp_path / "idura-cognito.toml", config)
    assert run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", "hcl", cwd=tmp_path).returncode == 0
    assert 'path = "../terraform.dev.tfstate"' in (tmp_path / "hcl" / "versions.tf").read_text()


def test_a_symlinked_state_is_refused_and_nothing_moves(project):
    folder, config = project
    (folder / "elsewhere.tfstate").write_text(json.dumps(STATE))
    (folder / "terraform.dev.tfstate").symlink_to("elsewhere.tfstate")
    refused = run_cli("hcl", "--config", str(config), "--stack", "dev", "--out", "hcl", "--move-state", cwd=folder)
    assert refused.returncode == 1 and "symbolic link" in refused.stderr
    assert (folder / "terraform.dev.tfstate").is_symlink() and not (folder / "hcl" / "terraform.tfstate").exists()
