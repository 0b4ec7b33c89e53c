"""`idura-cognito hcl`: a self-contained, deterministic root configuration that passes fmt and validate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from idura_cognito.hcl import program_source
from idura_cognito.hcl import render as render_module
from tests.support.cli import run_cli
from tests.support.config import base_config, twenty_environments, write_config
from tests.support.paths import DEMO_CONFIG, ROOT
from tests.support.program import query as program_query
from tests.support.program import run_program
from tests.support.terraform import TerraformDir

SCENARIO_SECONDS = 15  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

MODULE = ROOT / "modules" / "idura-cognito"


def test_layout(rendered):
    demo = rendered["demo"]
    names = sorted(str(p.relative_to(demo)) for p in demo.rglob("*") if p.is_file())
    module_files = [f"modules/idura-cognito/{name}" for name in render_module.MAIN_MODULE_FILES]
    application = [f"modules/idura-cognito/{name}" for name in render_module.APPLICATION_MODULE_FILES]
    program = [f"providers/idura_verify/program/{name}" for name in program_source.FILES]
    assert names == sorted(
        [
            ".gitignore",
            "README.md",
            "main.tf",
            "moved.tf",
            "outputs.tf",
            "providers.tf",
            "versions.tf",
            *module_files,
            *application,
            *program,  # beside modules/, as in the repository (the one copy, docs/layout.md)
        ]
    )
    # Text only: every file decodes as UTF-8 and holds no NUL byte (no archive, no byte code).
    for path in demo.rglob("*"):
        if path.is_file():
            assert b"\0" not in path.read_bytes() and path.read_bytes().decode("utf-8")


def test_the_module_file_list_is_the_module(tmp_path):
    """A file added to the module but not to the render's list would silently be left out of every render."""
    on_disk = sorted(
        str(p.relative_to(MODULE))
        for p in MODULE.rglob("*")
        if p.is_file() and "examples" not in p.parts and ".terraform" not in str(p) and "__pycache__" not in p.parts
    )
    assert on_disk == sorted(render_module.MAIN_MODULE_FILES + render_module.APPLICATION_MODULE_FILES)


def test_second_render_changes_nothing(rendered):
    before = {p: p.read_bytes() for p in rendered["demo"].rglob("*") if p.is_file()}
    result = run_cli("hcl", "--config", str(DEMO_CONFIG), "--stack", "demo", "--out", str(rendered["demo"]))
    assert result.returncode == 0
    assert "0 written" in result.stderr
    assert {p: p.read_bytes() for p in rendered["demo"].rglob("*") if p.is_file()} == before


@pytest.mark.terraform
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


@pytest.mark.terraform
@pytest.mark.parametrize("stack", ["demo", "dev", "s3", "tfc"])
def test_validates(rendered, cli_config, stack):
    # -backend=false: the S3 bucket and the Terraform Cloud organization are not reachable from a test.
    tf = TerraformDir.at(rendered[stack], cli_config)
    tf.run("init", "-backend=false", "-input=false")
    assert tf.run("validate").returncode == 0
    providers = rendered[stack] / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp"
    # Teams behind strict egress mirror only what they use: a hand-registered root needs no external provider.
    assert sorted(p.name for p in providers.iterdir()) == (["aws"] if stack in ("dev", "s3") else ["aws", "external"])


def test_backends(rendered):
    s3 = (rendered["s3"] / "versions.tf").read_text()
    assert 'backend "s3" {' in s3 and 'bucket       = "acme-tfstate"' in s3 and "encrypt      = true" in s3
    tfc = (rendered["tfc"] / "versions.tf").read_text()
    assert '  cloud {\n    organization = "acme"\n\n    workspaces {\n' in tfc
    assert 'name    = "cognito-prod"' in tfc and 'project = "identity"' in tfc
    # The default: the root's own folder (Terraform's backup lands beside it; the root's .gitignore covers both).
    dev = (rendered["dev"] / "versions.tf").read_text()
    assert 'backend "local" {\n    path = "terraform.tfstate"\n  }' in dev


def test_module_call_carries_the_config_values(rendered):
    main = (rendered["s3"] / "main.tf").read_text()
    assert '  source = "./modules/idura-cognito"\n' in main
    assert '  client_id     = "acme-s3"\n' in main
    assert '    existing_id = "eu-north-1_AbCdEf123"\n' in main
    assert '      acr  = "urn:grn:authn:se:bankid"\n' in main
    demo = (rendered["demo"] / "main.tf").read_text()
    assert "idura_application = module.idura_application.result" in demo
    assert 'module "idura_application" {' in demo and "escrow           = module.idura_cognito.escrow" in demo


def test_outputs_are_the_shared_definitions(rendered):
    from idura_cognito.definitions.outputs import ROOT_OUTPUTS

    text = (rendered["demo"] / "outputs.tf").read_text()
    for output in ROOT_OUTPUTS:
        assert f'output "{output.name}" {{\n  description = {json.dumps(output.description)}\n' in text
        assert f"  value       = module.idura_cognito.{output.name}\n" in text
    assert text.count("output ") == len(ROOT_OUTPUTS)


def test_moved_blocks_lead_from_the_cdktf_addresses(rendered):
    moved = (rendered["demo"] / "moved.tf").read_text()
    assert (
        "moved {\n  from = aws_cognito_user_pool.user_pool\n  to   = module.idura_cognito.aws_cognito_user_pool.user_pool[0]\n}"
        in moved
    )
    assert 'to   = module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]' in moved
    assert "from = aws_secretsmanager_secret_version.escrow" in moved


def test_an_adopted_stack_gets_import_blocks(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["adopt"] = {
        "user_pool_id": "eu-north-1_Hand1",
        "domain": "acme-dev-login",
        "identity_providers": ["Idura"],
        "app_clients": {"default": "abc123"},
    }
    path = write_config(tmp_path / "c.toml", config)
    assert run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", str(tmp_path / "out")).returncode == 0
    imports = (tmp_path / "out" / "imports.tf").read_text()
    for target, identifier in (
        ("module.idura_cognito.aws_cognito_user_pool.user_pool[0]", "eu-north-1_Hand1"),
        ("module.idura_cognito.aws_cognito_user_pool_domain.domain[0]", "acme-dev-login"),
        ("module.idura_cognito.aws_cognito_identity_provider.idura", "eu-north-1_Hand1:Idura"),
        ('module.idura_cognito.aws_cognito_user_pool_client.app_client["default"]', "eu-north-1_Hand1/abc123"),
    ):
        assert f'import {{\n  to = {target}\n  id = "{identifier}"\n}}' in imports


def test_bad_config_writes_nothing(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "MitID", "acr": "mitid"}]
    path = write_config(tmp_path / "c.toml", config)
    result = run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {path}: stacks.dev.pinned_eids[0].acr: 'mitid' is not allowed")
    assert not (tmp_path / "out").exists()


def test_a_missing_module_file_fails_the_render_with_one_line_and_writes_nothing(tmp_path, monkeypatch):
    """A package whose module lacks a file (here variables.tf) must not produce a root that half works."""
    import shutil

    from idura_cognito.config import load_config
    from idura_cognito.hcl.render import RenderError, render

    broken = tmp_path / "package-data"
    shutil.copytree(MODULE, broken, ignore=shutil.ignore_patterns(".terraform*", "examples"))
    (broken / "variables.tf").unlink()
    monkeypatch.setattr(render_module, "module_source", lambda: broken)
    config = load_config(DEMO_CONFIG)
    with pytest.raises(RenderError) as caught:
        render(config.stack("demo"), tmp_path / "out", config.source)
    assert str(caught.value) == (
        "the installed package lacks modules/idura-cognito/variables.tf: reinstall idura-cognito; nothing was written"
    )
    assert not (tmp_path / "out").exists()


def test_the_cli_reports_a_missing_module_file_as_exit_1(tmp_path):
    """The same through the command a user runs, against a copy of the installed package with a file removed."""
    import shutil

    import idura_cognito

    package = tmp_path / "site" / "idura_cognito"
    shutil.copytree(
        os.path.realpath(os.path.dirname(idura_cognito.__file__)),
        package,
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__", ".terraform*", "examples"),
    )
    # As a wheel installs it: the module as package data (a clone's own folder is found only beside the package).
    shutil.copytree(
        ROOT / "modules" / "idura-cognito",
        package / "terraform_module",
        ignore=shutil.ignore_patterns("__pycache__", ".terraform*", "examples"),
    )
    (package / "terraform_module" / "outputs.tf").unlink()
    env = {"PYTHONPATH": f"{package.parent}{os.pathsep}{ROOT / 'providers'}"}
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from idura_cognito.cli.main import main; sys.exit(main())",
            "hcl",
            "--config",
            str(DEMO_CONFIG),
            "--stack",
            "demo",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=tmp_path,
    )
    assert process.returncode == 1
    assert process.stderr == (
        "error: the installed package lacks modules/idura-cognito/outputs.tf: reinstall idura-cognito; "
        "nothing was written\n"
    )
    assert not (tmp_path / "out").exists()


def test_shipped_program_runs_with_python3_isolated_and_no_site_packages(rendered, tmp_path):
    program = rendered["demo"] / "providers/idura_verify/program"
    bare = {"PATH": os.environ["PATH"]}
    process = run_program("[]", bare, program=program, python=(sys.executable, "-S", "-I"), cwd=tmp_path)
    assert process.returncode == 1
    assert process.stderr == "idura_application: query: stdin is not a JSON object\n"
    # Past input validation (the standard library only, no site-packages): missing credentials are the next error.
    query = program_query("acme.idura.broker", "x")
    process = run_program(query, bare, program=program, python=(sys.executable, "-S", "-I"), cwd=tmp_path)
    assert (
        process.stderr
        == "idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura management API base URL\n"
    )


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_twenty_environments_share_one_module_and_hold_no_binary_file(tmp_path):
    config = twenty_environments(tmp_path)
    result = run_cli("hcl", "--config", str(config), "--all", "--out", str(tmp_path / "infra"))
    assert result.returncode == 0, result.stderr
    files = _tree(tmp_path / "infra")
    assert [n for n in files if n.endswith("modules/idura-cognito/main.tf")] == ["modules/idura-cognito/main.tf"]
    for name, content in files.items():
        assert b"\0" not in content, name
        content.decode("utf-8")  # text
    roots = sorted({name.split("/")[0] for name in files if not name.startswith(("modules/", "providers/", "."))})
    assert [n for n in files if n.endswith("program/__main__.py")] == ["providers/idura_verify/program/__main__.py"]
    assert roots == [f"env{n:02d}" for n in range(20)]
    for root in roots:
        assert 'source = "../modules/idura-cognito"' in files[f"{root}/main.tf"].decode()
    size = sum(len(content) for content in files.values())
    print(f"twenty environments: {len(files)} files, {size / 1024:.0f} KiB")
    assert size < 1024 * 1024  # (0.2: 20 copies of the module and of a 1.36 MB archive, about 28 MB)


def test_check_names_what_is_not_current_and_writes_nothing(tmp_path):
    config = twenty_environments(tmp_path)
    out = tmp_path / "infra"
    args = ["hcl", "--config", str(config), "--all", "--out", str(out)]
    missing = run_cli(*args, "--check")
    assert missing.returncode == 1 and not out.exists()
    assert run_cli(*args).returncode == 0
    current = run_cli(*args, "--check")
    assert current.returncode == 0 and f"{out} is current" in current.stderr
    (out / "env03" / "main.tf").write_text((out / "env03" / "main.tf").read_text() + "# edited\n")
    legacy = out / "modules/idura-cognito/modules/idura-application/bin/idura_application.pyz"
    before = _tree(out)
    edited = run_cli(*args, "--check")
    assert edited.returncode == 1
    assert "not current: env03/main.tf" in edited.stderr
    assert _tree(out) == before  # --check writes nothing
    # A single root rendered before this release carried its own module and the 0.2 program archive.
    single = tmp_path / "single"
    assert run_cli("hcl", "--config", str(config), "--stack", "env01", "--out", str(single)).returncode == 0
    old = single / "modules/idura-cognito/modules/idura-application/bin/idura_application.pyz"
    old.parent.mkdir()
    old.write_bytes(b"PK\x03\x04 an archive from 0.2")
    stale = run_cli("hcl", "--config", str(config), "--stack", "env01", "--out", str(single), "--check")
    assert stale.returncode == 1 and "bin/idura_application.pyz" in stale.stderr
    assert run_cli("hcl", "--config", str(config), "--stack", "env01", "--out", str(single)).returncode == 0
    assert not old.exists() and not legacy.exists()
    # 0.3 carried a copy of the program inside the submodule: a render removes it, the program is beside modules/.
    copy = single / "modules/idura-cognito/modules/idura-application/program"
    copy.mkdir()
    (copy / "idura_application.py").write_text("# 0.3's copy\n")
    stale = run_cli("hcl", "--config", str(config), "--stack", "env01", "--out", str(single), "--check")
    assert stale.returncode == 1 and "program/idura_application.py" in stale.stderr
    assert run_cli("hcl", "--config", str(config), "--stack", "env01", "--out", str(single)).returncode == 0
    assert not copy.exists() and (single / "providers/idura_verify/program/application.py").is_file()


def test_a_root_rendered_beside_the_shared_module_uses_it(tmp_path):
    config = twenty_environments(tmp_path)
    out = tmp_path / "infra"
    assert run_cli("hcl", "--config", str(config), "--all", "--out", str(out)).returncode == 0
    before = _tree(out)
    again = run_cli("hcl", "--config", str(config), "--stack", "env05", "--out", str(out / "env05"))
    assert again.returncode == 0 and "0 written" in again.stderr
    assert not (out / "env05" / "modules").exists() and _tree(out) == before


def test_all_over_a_folder_rendered_by_0_2_removes_each_root_s_module_copy_and_keeps_the_user_s_files(tmp_path):
    """0.2's --all gave every root its own copy of the module; now the roots share out/modules. A render over
    such a folder removes the copies' files (the ones a render writes), never a file the user put there."""
    config = twenty_environments(tmp_path)
    out = tmp_path / "infra"
    assert run_cli("hcl", "--config", str(config), "--all", "--out", str(out)).returncode == 0
    old_copy = out / "env07" / "modules" / "idura-cognito"
    shutil.copytree(out / "modules" / "idura-cognito", old_copy)
    (old_copy / "modules/idura-application/bin").mkdir()
    (old_copy / "modules/idura-application/bin/idura_application.pyz").write_bytes(b"PK\x03\x04 from 0.2")
    (old_copy / "notes.md").write_text("ours\n")
    stale = run_cli("hcl", "--config", str(config), "--all", "--out", str(out), "--check")
    assert stale.returncode == 1 and "env07/modules/idura-cognito/main.tf" in stale.stderr
    assert run_cli("hcl", "--config", str(config), "--all", "--out", str(out)).returncode == 0
    assert sorted(p.relative_to(old_copy).as_posix() for p in old_copy.rglob("*")) == ["notes.md"]
    assert run_cli("hcl", "--config", str(config), "--all", "--out", str(out), "--check").returncode == 0
