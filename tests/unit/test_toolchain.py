"""The project's Terraform CLI config: mirror providers from the mirror, everything else from the registry."""

from pathlib import Path

from idura_cognito import toolchain


def _mirror(root: Path, *providers: str) -> Path:
    for provider in providers:
        (root / "registry.terraform.io" / provider / "1.0.0" / "linux_amd64").mkdir(parents=True)
    return root


def test_mirror_providers_come_from_the_mirror_and_others_from_the_registry(tmp_path):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws")
    text = toolchain.render_cli_config([mirror])
    assert f'path    = "{mirror}"' in text
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in text
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in text


def test_no_mirror_means_plain_registry(tmp_path):
    text = toolchain.render_cli_config([])
    assert "provider_installation" not in text


def test_explicit_mirror_from_environment(tmp_path, monkeypatch):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws", "hashicorp/external")
    monkeypatch.setenv(toolchain.MIRROR_ENV, str(mirror))
    assert toolchain.find_mirrors() == [mirror]
    assert toolchain.mirrored_providers(mirror) == [
        "registry.terraform.io/hashicorp/aws",
        "registry.terraform.io/hashicorp/external",
    ]


def test_write_is_idempotent_and_reports_offline(tmp_path, monkeypatch):
    mirror = _mirror(tmp_path / "m", "hashicorp/aws")
    monkeypatch.setenv(toolchain.MIRROR_ENV, str(mirror))
    path = toolchain.write_cli_config(tmp_path / "cli.tfrc")
    before = path.stat().st_mtime_ns
    assert toolchain.write_cli_config(tmp_path / "cli.tfrc").stat().st_mtime_ns == before
    assert toolchain.is_offline(path)
