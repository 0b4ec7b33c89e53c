"""The project's Terraform CLI config: mirror providers from the mirror, everything else from the registry."""

from pathlib import Path

from idura_cognito.terraform import environment as terraform_environment


def _mirror(root: Path, *providers: str) -> Path:
    for provider in providers:
        (root / "registry.terraform.io" / provider / "1.0.0" / "linux_amd64").mkdir(parents=True)
    return root


def test_mirror_providers_come_from_the_mirror_and_others_from_the_registry(tmp_path):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws")
    text = terraform_environment.render_cli_config([mirror])
    assert f'path    = "{mirror}"' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in text


def test_no_mirror_means_plain_registry(tmp_path):
    text = terraform_environment.render_cli_config([])
    assert "provider_installation" not in text


def test_explicit_mirror_from_environment(tmp_path, monkeypatch):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws", "hashicorp/external")
    monkeypatch.setenv(terraform_environment.MIRROR_ENV, str(mirror))
    monkeypatch.setattr(terraform_environment, "_CANDIDATES", ())
    assert terraform_environment.find_mirrors() == [mirror]
    assert terraform_environment.mirrored_providers(mirror) == [
        "registry.terraform.io/hashicorp/aws",
        "registry.terraform.io/hashicorp/external",
    ]


def test_an_explicit_mirror_adds_to_the_machine_s_mirror(tmp_path, monkeypatch):
    """A mirror of hashicorp/external only (an offline runner's) must not drop the AWS provider the machine's
    conventional mirror holds."""
    machine = _mirror(tmp_path / "machine", "hashicorp/aws")
    extra = _mirror(tmp_path / "extra", "hashicorp/external")
    monkeypatch.setattr(terraform_environment, "_CANDIDATES", (str(machine),))
    monkeypatch.setenv(terraform_environment.MIRROR_ENV, str(extra))
    assert terraform_environment.find_mirrors() == [extra, machine]
    text = terraform_environment.render_cli_config(terraform_environment.find_mirrors())
    assert 'include = ["registry.terraform.io/hashicorp/external"]' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text


def test_write_is_idempotent_and_reports_offline(tmp_path, monkeypatch):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws")
    monkeypatch.setenv(terraform_environment.MIRROR_ENV, str(mirror))
    path = terraform_environment.write_cli_config(tmp_path / "cli.tfrc")
    before = path.stat().st_mtime_ns
    assert terraform_environment.write_cli_config(tmp_path / "cli.tfrc").stat().st_mtime_ns == before
    assert terraform_environment.is_offline(path)


def test_child_processes_get_only_the_environment_they_need():
    from idura_cognito.terraform.environment import child_environment

    parent = {
        "PATH": "/usr/bin",
        "HOME": "/home/ops",
        "AWS_PROFILE": "prod",
        "TF_LOG": "info",
        "TFC_CONFIGURATION_VERSION_GIT_BRANCH": "main",
        "IDURA_MANAGEMENT_TOKEN": "t0ken",
        "IDURA_MANAGEMENT_ALLOW_CHANGES": "true",
        "IDURA_CA_BUNDLE": "/etc/ca.pem",
        "https_proxy": "http://proxy:3128",
        "GOGC": "400",
        # what another tool left in the shell: never handed to Terraform or the program
        "GITHUB_TOKEN": "ghp_secret",
        "OPENAI_API_KEY": "sk-secret",
        "PYTHONPATH": "/tmp/evil",
        "PYTHONSTARTUP": "/tmp/evil.py",
        "NODE_OPTIONS": "--require /tmp/evil.js",
        "IDURA_EMULATOR_TOKEN": "emulator-only",
    }
    child = child_environment(parent)
    assert set(child) == {
        "PATH",
        "HOME",
        "AWS_PROFILE",
        "TF_LOG",
        "TFC_CONFIGURATION_VERSION_GIT_BRANCH",
        "IDURA_MANAGEMENT_TOKEN",
        "IDURA_MANAGEMENT_ALLOW_CHANGES",
        "IDURA_CA_BUNDLE",
        "https_proxy",
        "GOGC",
    }
    assert all(child[name] == parent[name] for name in child)


def test_every_variable_the_program_reads_reaches_it():
    from idura_cognito.terraform.environment import child_environment
    from idura_verify.program import environment

    parent = {name: "x" for name in environment.PROGRAM_VARIABLES}
    assert child_environment(parent) == parent
