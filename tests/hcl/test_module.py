"""The module as users consume it: generated files current, terraform-docs tables, examples that validate,
the layout tflint expects, and use from a git ref."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from devtools import generate, module_files, project_docs
from tests.support.paths import ROOT
from tests.support.terraform import PLAN, TerraformDir

SCENARIO_SECONDS = 25  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

MODULE = ROOT / "modules" / "idura-cognito"
EXAMPLES = sorted(p.name for p in (MODULE / "examples").iterdir() if p.is_dir())


def test_generated_files_and_readme_tables_are_current():
    drifted = generate.write_module(MODULE, check=True)
    drifted += project_docs.write(ROOT, check=True)
    assert drifted == [], f"run `make generate`: {drifted}"


def test_readme_tables_sit_between_terraform_docs_markers_and_list_every_input_and_output():
    from idura_cognito.definitions.outputs import OUTPUTS

    for readme, variables in (
        (MODULE / "README.md", module_files.MAIN_VARIABLES),
        (MODULE / "modules/idura-application/README.md", module_files.APPLICATION_VARIABLES),
    ):
        text = readme.read_text()
        inside = text.split("<!-- BEGIN_TF_DOCS -->", 1)[1].split("<!-- END_TF_DOCS -->", 1)[0]
        assert "| Name | Description | Type | Default | Required |" in inside
        for variable in variables:
            assert f"| {variable.name} |" in inside
    main = (MODULE / "README.md").read_text()
    for output in OUTPUTS:
        assert f"| {output.name} |" in main


def test_layout_of_a_standard_module():
    """tflint's terraform_standard_module_structure: main.tf, variables.tf, outputs.tf; variables and outputs
    only in those files. terraform-aws-modules add versions.tf."""
    for folder in (MODULE, MODULE / "modules" / "idura-application"):
        assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"} <= {
            p.name for p in folder.iterdir()
        }
        for path in folder.glob("*.tf"):
            text = path.read_text()
            if path.name != "variables.tf":
                assert not re.search(r'^variable "', text, re.M), path
            if path.name != "outputs.tf":
                assert not re.search(r'^output "', text, re.M), path


EXAMPLE_FILES = ("main.tf", "outputs.tf", "versions.tf", "README.md")


def _constraints(versions_tf: str) -> dict[str, str]:
    """``required_version`` and each provider's ``version`` in a versions.tf, by name ("terraform", "aws", ...)."""
    found = {"terraform": re.search(r'required_version\s*=\s*"([^"]+)"', versions_tf).group(1)}
    for name, body in re.findall(r"^\s*(\w+) = \{([^}]*)\}", versions_tf, re.M):
        found[name] = re.search(r'version\s*=\s*"([^"]+)"', body).group(1)
    return found


def test_examples_exist_each_with_main_outputs_versions_and_a_readme():
    """As terraform-aws-modules lay out examples: main.tf for the calls, outputs.tf for the outputs, versions.tf
    for the terraform block with the module's own ranges (and the submodule's where the example uses it)."""
    assert EXAMPLES == ["existing-pool-pinned-eids", "hand-registered", "new-pool"]
    module = _constraints((MODULE / "versions.tf").read_text())
    submodule = _constraints((MODULE / "modules" / "idura-application" / "versions.tf").read_text())
    for example in EXAMPLES:
        folder = MODULE / "examples" / example
        assert set(EXAMPLE_FILES) <= {p.name for p in folder.iterdir()}, example
        readme = (folder / "README.md").read_text()
        assert readme.startswith("# Example: ") and "```sh" in readme
        main = (folder / "main.tf").read_text()
        assert not re.search(r"^(output|terraform) ", main, re.M), example
        assert re.search(r'^output "', (folder / "outputs.tf").read_text(), re.M), example
        for path in folder.glob("*.tf"):
            if path.name != "outputs.tf":
                assert not re.search(r'^output "', path.read_text(), re.M), path
            if path.name != "versions.tf":
                assert not re.search(r"^terraform ", path.read_text(), re.M), path
        expected = dict(module)
        if "modules/idura-application" in main:
            expected |= submodule
        assert _constraints((folder / "versions.tf").read_text()) == expected, example


@pytest.mark.terraform
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_validates(example, cli_config, tmp_path):
    # Copied with the module beside it, so `source = "../.."` resolves and nothing is written into the repo.
    module = tmp_path / "idura-cognito"
    shutil.copytree(MODULE, module, ignore=shutil.ignore_patterns(".terraform*"))
    tf = TerraformDir.at(module / "examples" / example, cli_config)
    tf.run("init", "-backend=false", "-input=false")
    assert tf.run("validate").returncode == 0


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory):
    """This repository at a tag, as Terraform clones it (git::file://): every file git tracks, as the working tree
    holds it (the module and the program it finds beside its modules/ folder among them)."""
    repo = tmp_path_factory.mktemp("git-module") / "idura-cognito.git"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    run = {"cwd": repo, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q", "-b", "main"], **run)
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "add", "."], **run)
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "module"], **run)
    subprocess.run(["git", "tag", "v0.2.0"], **run)
    return repo


ROOT_TF = """
provider "aws" {{
  region                      = "eu-north-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    cognitoidp     = "{moto}"
    secretsmanager = "{moto}"
    sts            = "{moto}"
    iam            = "{moto}"
  }}
}}

module "idura_cognito" {{
  source = "git::file://{repo}//modules/idura-cognito?ref=v0.2.0"

  aws_region        = "eu-north-1"
  idura_domain      = "acme-corp.test.idura.broker"
  client_id         = "urn:idura:test:{name}"
  secret_source     = "{mode}"
  client_secret     = {client_secret}
  idura_application = {application}
  user_pool         = {{ name = "acme-{name}" }}
  domain            = {{ prefix = "acme-{name}" }}
  app_client        = {{ callback_urls = ["https://app.acme.com/cb"] }}
}}
"""

APPLICATION_TF = """
module "idura_application" {{
  source = "git::file://{repo}//modules/idura-cognito/modules/idura-application?ref=v0.2.0"

  idura_domain     = "acme-corp.test.idura.broker"
  client_id        = "urn:idura:test:{name}"
  application_name = "From git"
  redirect_urls    = [module.idura_cognito.idura_redirect_url]
  cognito_host     = module.idura_cognito.cognito_host
  escrow           = module.idura_cognito.escrow
}}
"""


@pytest.mark.terraform
@pytest.mark.usefixtures("endpoint_from_config_only")  # the root names moto itself
def test_from_a_git_ref_managed_mode_runs_the_program_of_the_repository(git_repo, cli_config, moto, tmp_path):
    """The program's one copy is source in providers/idura_verify/program: a git ref brings the whole repository,
    and the submodule finds the program beside its modules/ folder, nothing to build or copy. Without the
    management environment the plan stops with the program's own one-line error, which proves it ran from
    .terraform/modules under the user's python3."""
    name = "gitmanaged"
    (tmp_path / "main.tf").write_text(
        ROOT_TF.format(
            repo=git_repo,
            moto=moto.url,
            name=name,
            mode="managed",
            client_secret="null",
            application="module.idura_application.result",
        )
        + APPLICATION_TF.format(repo=git_repo, name=name)
    )
    tf = TerraformDir.at(tmp_path, cli_config)
    tf.init()
    downloaded = tmp_path / ".terraform/modules/idura_application"
    assert (downloaded / "modules/idura-cognito/modules/idura-application/main.tf").is_file()
    assert (downloaded / "providers/idura_verify/program/__main__.py").is_file()
    assert not (downloaded / "modules/idura-cognito/modules/idura-application/program").exists()
    code, output = tf.attempt(*PLAN)
    assert code == 1
    flat = " ".join(output.split())
    assert "idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura management API base URL" in flat
    assert "Traceback" not in output


@pytest.mark.terraform
@pytest.mark.usefixtures("endpoint_from_config_only")  # the root names moto itself
def test_from_a_git_ref_hand_registered_needs_only_the_aws_provider(git_repo, cli_config, moto, tmp_path):
    name = "githand"
    (tmp_path / "main.tf").write_text(
        ROOT_TF.format(
            repo=git_repo,
            moto=moto.url,
            name=name,
            mode="hand-registered",
            client_secret='"from-my-vault"',
            application="null",
        )
    )
    tf = TerraformDir.at(tmp_path, cli_config)
    tf.init()
    providers = tmp_path / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp"
    assert [p.name for p in providers.iterdir()] == ["aws"]
    code, output = tf.attempt(*PLAN)
    assert code == 2, output
    assert "Plan: 4 to add, 0 to change, 0 to destroy." in output


def test_each_scanner_skip_sits_in_its_resource_with_a_reason():
    """checkov (pre-commit) passes the module; each skip is written inside the resource it applies to, with why."""
    skips = []
    for path in sorted(MODULE.rglob("*.tf")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "checkov:skip" in line:
                match = re.fullmatch(r"\s+#checkov:skip=(CKV2?_AWS_\d+):(.{40,})", line)
                assert match, f"{path.name}:{number + 1}: a skip needs a check id and a reason"
                assert re.match(r'(resource|data) "', lines[number - 1]), f"{path.name}:{number + 1}: not in a resource"
                skips.append(match.group(1))
    assert skips == ["CKV2_AWS_57"]  # Secrets Manager rotation: rotation happens at Idura (docs/security.md)
