"""The module itself: README tables generated from it, and its examples validate."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, run_cli
from tests.support.terraform import TerraformDir

EXAMPLES = sorted(p.name for p in (ROOT / "modules" / "idura-cognito" / "examples").iterdir() if p.is_dir())


def test_readme_tables_match_the_module():
    result = run_cli("module-docs", "--check")
    assert result.returncode == 0, result.stderr


def test_readme_lists_every_variable_and_output():
    readme = (ROOT / "modules" / "idura-cognito" / "README.md").read_text()
    for name in ("aws_region", "idura_domain", "client_id", "secret_source", "client_secret", "pinned_eids"):
        assert f"| `{name}` |" in readme
    for name in ("user_pool_id", "idura_redirect_url", "hosted_login_urls", "escrow_secret_name"):
        assert f"| `{name}` |" in readme


def test_examples_exist():
    assert EXAMPLES == ["existing-pool-pinned-eids", "hand-registered", "new-pool"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_validates(example, cli_config, tmp_path):
    # Copied with the module beside it, so `source = "../.."` resolves and nothing is written into the repo.
    module = tmp_path / "idura-cognito"
    shutil.copytree(ROOT / "modules" / "idura-cognito", module, ignore=shutil.ignore_patterns(".terraform*"))
    tf = TerraformDir(module / "examples" / example, cli_config)
    tf.run("init", "-backend=false", "-input=false", "-no-color")
    assert tf.run("validate", "-no-color").returncode == 0
