"""`idura-cognito hcl`: a self-contained, deterministic root configuration that passes fmt and validate."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, base_config, run_cli, write_config
from tests.support.terraform import TerraformDir


def test_layout(rendered):
    demo = rendered["demo"]
    names = sorted(str(p.relative_to(demo)) for p in demo.rglob("*") if p.is_file())
    assert names == sorted(
        [
            "README.md",
            "main.tf",
            "outputs.tf",
            "providers.tf",
            "versions.tf",
            "modules/idura-cognito/README.md",
            "modules/idura-cognito/bin/idura_application.pyz",
            *(f"modules/idura-cognito/{p.name}" for p in (ROOT / "modules" / "idura-cognito").glob("*.tf")),
        ]
    )
    assert not (rendered["dev"] / "modules/idura-cognito/bin").exists()  # hand-registered: no program


def test_second_render_changes_nothing(rendered):
    before = {p: p.read_bytes() for p in rendered["demo"].rglob("*") if p.is_file()}
    result = run_cli(
        "hcl", "--config", str(ROOT / "idura-cognito.toml"), "--stack", "demo", "--out", str(rendered["demo"])
    )
    assert result.returncode == 0
    assert "0 written" in result.stderr
    assert {p: p.read_bytes() for p in rendered["demo"].rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("stack", ["demo", "dev", "s3", "tfc"])
def test_passes_terraform_fmt_check(rendered, stack):
    process = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", "-diff"],
        cwd=rendered[stack],
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull},
    )
    assert process.returncode == 0, process.stdout


@pytest.mark.parametrize("stack", ["demo", "dev", "s3", "tfc"])
def test_validates(rendered, cli_config, stack):
    # -backend=false: the S3 bucket and the Terraform Cloud organization are not reachable from a test.
    tf = TerraformDir(rendered[stack], cli_config)
    tf.run("init", "-backend=false", "-input=false", "-no-color")
    assert tf.run("validate", "-no-color").returncode == 0


def test_backends(rendered):
    s3 = (rendered["s3"] / "versions.tf").read_text()
    assert 'backend "s3" {' in s3 and 'bucket       = "acme-tfstate"' in s3 and "encrypt      = true" in s3
    tfc = (rendered["tfc"] / "versions.tf").read_text()
    assert '  cloud {\n    organization = "acme"\n\n    workspaces {\n' in tfc
    assert 'name    = "cognito-prod"' in tfc and 'project = "identity"' in tfc
    assert "backend" not in (rendered["dev"] / "versions.tf").read_text()


def test_module_call_carries_the_config_values(rendered):
    main = (rendered["s3"] / "main.tf").read_text()
    assert '  source = "./modules/idura-cognito"\n' in main
    assert '  client_id        = "acme-s3"\n' in main
    assert '    existing_id = "eu-north-1_AbCdEf123"\n' in main
    assert '      acr  = "urn:grn:authn:se:bankid"\n' in main


def test_bad_config_writes_nothing(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "MitID", "acr": "mitid"}]
    path = write_config(tmp_path / "c.toml", config)
    result = run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}: stacks.dev.pinned_eids[0].acr: 'mitid' is not an Idura acr")
    assert not (tmp_path / "out").exists()


def test_shipped_program_runs_with_python3_and_no_site_packages(rendered, tmp_path):
    program = rendered["demo"] / "modules/idura-cognito/bin/idura_application.pyz"
    process = subprocess.run(
        [sys.executable, "-S", "-I", str(program)],
        input="[]",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
    )
    assert process.returncode == 1
    assert process.stderr == "idura_application: query: stdin is not a JSON object\n"
    # Past input validation it imports httpx from the archive; missing credentials are the next error.
    query = {
        "idura_domain": "acme.idura.broker",
        "client_id": "x",
        "application_name": "x",
        "redirect_uris": json.dumps(["https://a.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]),
        "have_secret": "true",
    }
    process = subprocess.run(
        [sys.executable, "-S", "-I", str(program)],
        input=json.dumps(query),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
    )
    assert (
        process.stderr
        == "idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura management API base URL\n"
    )
