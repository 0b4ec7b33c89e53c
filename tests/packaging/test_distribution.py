"""The wheel and the sdist hold everything a user needs (installed, not cloned): every package, the Terraform
module, the templates, the scaffold, the program's modules, the license. The wheel is built from the sdist, so a
complete wheel also proves a complete sdist."""

from __future__ import annotations

import os
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from idura_cognito.hcl import render
from tests.support.cli import run_cli
from tests.support.config import twenty_environments
from tests.support.paths import ROOT

XDIST_GROUP = "packaging"  # one worker builds the wheel once (the session fixture `dist`) for both files
SCENARIO_SECONDS = 80  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

MODULE_FILES = [*render.MAIN_MODULE_FILES, *render.APPLICATION_MODULE_FILES]
EXAMPLES = ["existing-pool-pinned-eids", "hand-registered", "new-pool"]


def wheel_names(dist: Path) -> list[str]:
    (wheel,) = dist.glob("*.whl")
    return zipfile.ZipFile(wheel).namelist()


def sdist_names(dist: Path) -> list[str]:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]


def packages_on_disk() -> set[str]:
    found = set()
    for top, root in (("idura_cognito", ROOT / "idura_cognito"), ("idura_verify", ROOT / "providers" / "idura_verify")):
        for init in root.rglob("__init__.py"):
            relative = init.parent.relative_to(root)
            found.add(".".join((top, *relative.parts)) if relative.parts else top)
    return found


def test_the_wheel_holds_every_package_module_template_and_scaffold_file(dist):
    names = set(wheel_names(dist))
    for package in packages_on_disk():  # found automatically: a new subpackage cannot be forgotten
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    for name in MODULE_FILES:
        assert f"idura_cognito/terraform_module/{name}" in names, name
    for example in EXAMPLES:  # each example as terraform-aws-modules lay them out (tests/hcl/test_module.py)
        for file in ("main.tf", "outputs.tf", "versions.tf", "README.md"):
            assert f"idura_cognito/terraform_module/examples/{example}/{file}" in names, (example, file)
    templates = {p.name for p in (ROOT / "idura_cognito" / "hcl" / "templates").glob("*.j2")}
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith("idura_cognito/hcl/templates/")} == templates
    for scaffold in ("idura-cognito.toml", "cdktf.json", "main.py.txt", "gitignore.txt"):
        assert f"idura_cognito/scaffold/{scaffold}" in names
    from idura_cognito.hcl import program_source

    for program in program_source.FILES:  # the program's one copy, as the package idura_verify.program
        assert f"idura_verify/program/{program}" in names, program
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)


def test_the_wheel_holds_no_tests_build_output_or_state(dist):
    for name in wheel_names(dist):
        assert not name.startswith("tests/"), name
        assert ".terraform" not in name and not name.endswith((".tfstate", ".pyz", ".pyc")), name
        if name.startswith("idura_cognito/terraform_module/"):  # pyproject's allowlist: no plan, tfvars or log
            function = name.startswith("idura_cognito/terraform_module/functions/") and name.endswith(".py")
            assert name.endswith((".tf", ".md")) or function, name


def test_the_sdist_holds_the_sources_docs_and_license(dist):
    names = set(sdist_names(dist))
    for required in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md"):
        assert required in names, required
    for name in MODULE_FILES:  # the repository's layout: each thing once, where the wheel's mapping finds it
        assert f"modules/idura-cognito/{name}" in names, name
    assert "idura_cognito/stacks/synth_cache.py" in names and "providers/idura_verify/program/application.py" in names


def test_one_version_everywhere(dist):
    import idura_cognito

    version = idura_cognito.__version__
    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith(f"idura_cognito-{version}-")
    # A development version (between releases) is the changelog's Unreleased section; a release has its own.
    heading = "## [Unreleased]" if ".dev" in version else f"## [{version}]"
    assert heading in (ROOT / "CHANGELOG.md").read_text()


def test_the_same_config_renders_the_same_bytes_under_another_python(tmp_path, dist):
    """Python 3.13 from pyenv, the built wheel without extras, against this environment's Python 3.11."""
    import glob

    other = sorted(glob.glob("/root/.pyenv/versions/3.13*/bin/python3")) or sorted(
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[23]*/bin/python3"))
    )
    if not other:
        pytest.skip("no second Python installed (pyenv 3.12 or 3.13)")
    venv = tmp_path / "venv"
    subprocess.run([other[-1], "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [
            str(venv / "bin/pip"),
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            str(next(dist.glob("*.whl"))),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    config = twenty_environments(tmp_path)
    ours = run_cli("hcl", "--config", str(config), "--all", "--out", str(tmp_path / "ours"))
    theirs = subprocess.run(
        [str(venv / "bin/idura-cognito"), "hcl", "--config", str(config), "--all", "--out", str(tmp_path / "theirs")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert ours.returncode == 0 and theirs.returncode == 0, theirs.stderr
    assert _tree(tmp_path / "ours") == _tree(tmp_path / "theirs")


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
