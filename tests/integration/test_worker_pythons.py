"""A rendered root plans on every worker Python the docs promise (3.9 and newer): the external program is standard-
library source that each of them runs. An older Python fails with one line naming the version needed. And the
rendered folder is safe to `git add -A` after `terraform init` and a plan."""

from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.managed_hcl import render
from tests.support.program import run_program
from tests.support.terraform import PLAN

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 40  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

SUPPORTED = ("3.9", "3.10", "3.11", "3.12", "3.13")


def _python(version: str) -> str | None:
    found = sorted(glob.glob(f"/root/.pyenv/versions/{version}.*/bin/python3")) or sorted(
        glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python3"))
    )
    return found[-1] if found else None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, moto, idura, cli_config):
    root = tmp_path_factory.mktemp("workers")
    tf, realm = render(root, "workers", moto, idura, cli_config)
    tf.allowed().apply()  # the application exists: every plan below only reads
    return tf, root


@pytest.mark.parametrize("version", SUPPORTED)
def test_a_rendered_root_plans_with_each_supported_worker_python(rendered, tmp_path, version):
    python = _python(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed here")
    tf, _ = rendered
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python3").symlink_to(python)  # the worker's python3
    plan = type(tf)(tf.workdir, tf.env | {"PATH": f"{shim}{os.pathsep}{tf.env['PATH']}"}, transcript=tf.transcript)
    code, output = plan.attempt(*PLAN)
    assert code == 0, output[-3000:]


@pytest.mark.parametrize("version", ("3.6", "3.8"))
def test_a_worker_python_that_is_too_old_fails_with_one_line(rendered, version):
    python = _python(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed here")
    tf, _ = rendered
    program = tf.workdir / "providers/idura_verify/program"
    process = run_program("{}", None, program=program, python=(python, "-I"), timeout=60)
    assert process.returncode == 1
    assert process.stderr == (
        f"idura_application: needs Python 3.9 or newer on the machine that runs Terraform; this python3 is {version}\n"
    )


def test_the_rendered_folder_is_safe_to_git_add_all(rendered):
    tf, _ = rendered
    folder: Path = tf.workdir
    assert (folder / ".terraform").is_dir()  # init ran here, and plans
    run = {"cwd": folder, "capture_output": True, "text": True, "check": True}
    subprocess.run(["git", "init", "-q"], **run)
    subprocess.run(["git", "add", "-A"], **run)
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], **run).stdout.split()
    assert staged and "main.tf" in staged
    # The lock file belongs in git (Terraform's advice); .terraform/, state, plans and caches never do.
    unwanted = [
        s
        for s in staged
        if s.startswith((".terraform/", ".terraform.d/", ".idura-cognito/")) or s.endswith((".tfstate", ".tfplan"))
    ]
    assert unwanted == [] and not any("__pycache__" in s for s in staged)
    assert ".terraform.lock.hcl" in staged
    for name in staged:
        text = (folder / name).read_text()
        assert str(folder.parent) not in text and str(Path.home()) not in text, f"{name} names a path of this machine"
