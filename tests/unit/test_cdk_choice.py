"""Which CDK synthesizes: $IDURA_COGNITO_CDK, else what is installed (CDKTF first: nothing changes for its users)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from idura_cognito.errors import UsageError
from idura_cognito.stacks import cdk_choice
from tests.support.paths import CLI
from tests.support.paths import DEMO_CONFIG as DEMO


@pytest.fixture(autouse=True)
def unpinned(monkeypatch):
    """As a fresh process: nothing imported a CDK yet (another test of this worker may have)."""
    monkeypatch.setattr(cdk_choice, "_pinned", None)


def test_the_setting_chooses(monkeypatch):
    monkeypatch.setenv(cdk_choice.CDK_ENV, "cdk-terrain")
    assert cdk_choice.chosen() is cdk_choice.CDK_TERRAIN
    monkeypatch.setenv(cdk_choice.CDK_ENV, "cdktf")
    assert cdk_choice.chosen() is cdk_choice.CDKTF


def test_without_the_setting_cdktf_first_then_cdk_terrain(monkeypatch):
    monkeypatch.delenv(cdk_choice.CDK_ENV, raising=False)
    monkeypatch.setattr(cdk_choice, "installed", lambda cdk: True)
    assert cdk_choice.chosen() is cdk_choice.CDKTF
    monkeypatch.setattr(cdk_choice, "installed", lambda cdk: cdk is cdk_choice.CDK_TERRAIN)
    assert cdk_choice.chosen() is cdk_choice.CDK_TERRAIN
    monkeypatch.setattr(cdk_choice, "installed", lambda cdk: False)
    assert cdk_choice.chosen() is cdk_choice.CDKTF  # the error then names the [cdktf] extra


def test_an_unknown_setting_names_the_allowed_values(monkeypatch):
    monkeypatch.setenv(cdk_choice.CDK_ENV, "cdk8s")
    with pytest.raises(UsageError) as error:
        cdk_choice.chosen()
    assert str(error.value) == "IDURA_COGNITO_CDK='cdk8s' is not a CDK this tool runs on; allowed: cdktf, cdk-terrain"


def test_the_cli_refuses_an_unknown_cdk_in_one_line_and_writes_nothing(tmp_path):
    env = {**os.environ, cdk_choice.CDK_ENV: "cdk8s"}
    result = subprocess.run(
        [CLI, "synth", "--config", str(DEMO), "--out", str(tmp_path / "out"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: IDURA_COGNITO_CDK='cdk8s' is not a CDK this tool runs on; allowed: cdktf, cdk-terrain"
    ]
    assert not (tmp_path / "out").exists()


def test_init_names_the_cli_of_the_chosen_cdk(tmp_path):
    env = {**os.environ, cdk_choice.CDK_ENV: "cdk-terrain"}
    result = subprocess.run([CLI, "init", str(tmp_path / "infra")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "npm install cdktn-cli@0.24.0" in result.stdout
    assert "cdktn synth | cdktn diff dev | cdktn deploy dev | cdktn output dev" in result.stdout
    assert '"app": "idura-cognito synth --quiet"' in (tmp_path / "infra" / "cdktf.json").read_text()  # one file, both


def test_once_a_cdk_is_imported_the_process_keeps_it(monkeypatch):
    cdk_choice.pin(cdk_choice.CDKTF)
    monkeypatch.setenv(cdk_choice.CDK_ENV, "cdk-terrain")
    assert cdk_choice.chosen() is cdk_choice.CDKTF  # the synth cache's key names the CDK that synthesized


def test_a_folder_named_like_a_cdk_is_not_an_installed_cdk(tmp_path, monkeypatch):
    import dataclasses
    import importlib.util

    (tmp_path / "fakecdk").mkdir()
    (tmp_path / "fakecdk" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))  # a folder beside a `python main.py` app
    fake = dataclasses.replace(cdk_choice.CDK_TERRAIN, core="fakecdk", distributions=("fakecdk",))
    assert importlib.util.find_spec("fakecdk") is not None
    assert cdk_choice.installed(fake) is False
    assert cdk_choice.installed(cdk_choice.CDKTF) is True


# -- the project's record: the CDK is the project's, not the shell's -------------------------------------------


def _project(tmp_path, record: str | None):
    context = {} if record is None else {cdk_choice.RECORD_KEY: record}
    (tmp_path / "cdktf.json").write_text(json.dumps({"language": "python", "context": context}))
    config = tmp_path / "idura-cognito.toml"
    config.write_text(DEMO.read_text())
    return config


def test_a_shell_that_chooses_another_cdk_than_the_project_records_is_refused_naming_both(tmp_path):
    config = _project(tmp_path, "cdktf")
    env = {**os.environ, cdk_choice.CDK_ENV: "cdk-terrain"}
    result = subprocess.run(
        [CLI, "synth", "--config", str(config), "--out", "out"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "this project runs on cdktf" in result.stderr and "IDURA_COGNITO_CDK=cdk-terrain" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_record_chooses_when_the_shell_does_not(tmp_path, monkeypatch):
    monkeypatch.delenv(cdk_choice.CDK_ENV, raising=False)
    monkeypatch.setattr(cdk_choice, "installed", lambda cdk: True)  # both installed: CDKTF would be first
    _project(tmp_path, "cdk-terrain")
    assert cdk_choice.for_project(tmp_path) is cdk_choice.CDK_TERRAIN
    monkeypatch.setenv(cdk_choice.CDK_ENV, "cdk-terrain")  # the same as the record: fine
    assert cdk_choice.for_project(tmp_path) is cdk_choice.CDK_TERRAIN


def test_an_older_project_gets_its_record_on_the_first_synth_and_is_told(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(cdk_choice.CDK_ENV, raising=False)
    _project(tmp_path, None)
    assert cdk_choice.for_project(tmp_path, record=True) is cdk_choice.chosen()
    assert cdk_choice.recorded(tmp_path) == cdk_choice.chosen().name
    assert "recorded this project's CDK" in capsys.readouterr().err
    assert json.loads((tmp_path / "cdktf.json").read_text())["language"] == "python"  # the rest is kept


def test_init_records_the_cdk_it_scaffolds_for(tmp_path):
    result = subprocess.run([CLI, "init", str(tmp_path / "infra")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert cdk_choice.recorded(tmp_path / "infra") == "cdktf"
