"""The suite's terraform wrapper reattaches the AWS provider only where Terraform, launching it itself, would
accept the working directory; elsewhere Terraform launches it and fails as it would for a user."""

from __future__ import annotations

import json

import pytest

from tests.support.terraform_wrapper import AWS, aws_provider_ready, satisfies

VERSION = "5.100.0"


@pytest.mark.parametrize(
    ("constraint", "verdict"),
    [
        ("5.100.0", True),
        ("= 5.100.0", True),
        (">= 5.95, < 7.0", True),
        ("~> 5.0", True),
        ("~> 5.100.0", True),
        ("~> 5.99.0", False),
        ("~> 6.0", False),
        (">= 6.0", False),
        ("!= 5.100.0", False),
        ("5.99.1", False),
        ("not a constraint", False),
    ],
)
def test_version_constraints_as_terraform_reads_them(constraint, verdict):
    assert satisfies(VERSION, constraint) is verdict


def initialized(tmp_path, *, locked=VERSION, installed=True, constraint=">= 5.95, < 7.0"):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / ".terraform.lock.hcl").write_text(
        f'provider "{AWS}" {{\n  version     = "{locked}"\n  constraints = "{constraint}"\n}}\n'
    )
    if installed:
        (tmp_path / ".terraform" / "providers" / AWS / VERSION / "linux_amd64").mkdir(parents=True)
    (tmp_path / "versions.tf").write_text(
        f'terraform {{\n  required_providers {{\n    aws = {{\n      source  = "hashicorp/aws"\n'
        f'      version = "{constraint}"\n    }}\n  }}\n}}\n'
    )
    return tmp_path


def test_an_initialized_folder_is_reattached(tmp_path):
    assert aws_provider_ready(initialized(tmp_path), VERSION)


def test_a_folder_whose_init_was_skipped_is_left_to_terraform(tmp_path):
    assert not aws_provider_ready(tmp_path, VERSION)  # no lock file
    assert not aws_provider_ready(initialized(tmp_path / "a", installed=False), VERSION)  # providers deleted
    assert not aws_provider_ready(initialized(tmp_path / "b", locked="5.99.0"), VERSION)  # locked elsewhere


def test_a_constraint_changed_since_init_is_left_to_terraform(tmp_path):
    folder = initialized(tmp_path)
    (folder / "versions.tf").write_text((folder / "versions.tf").read_text().replace(">= 5.95, < 7.0", "~> 6.0"))
    assert not aws_provider_ready(folder, VERSION)


def test_constraints_in_json_and_in_installed_modules_count(tmp_path):
    folder = initialized(tmp_path)
    (folder / "cdk.tf.json").write_text(
        json.dumps({"terraform": {"required_providers": {"aws": {"source": "aws", "version": "5.100.0"}}}})
    )
    assert aws_provider_ready(folder, VERSION)
    module = folder / "modules" / "idura-cognito"
    module.mkdir(parents=True)
    (module / "versions.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { version = ">= 6.1" }\n  }\n}\n'
    )
    modules = folder / ".terraform" / "modules"
    modules.mkdir(parents=True)
    (modules / "modules.json").write_text(json.dumps({"Modules": [{"Key": "m", "Dir": "modules/idura-cognito"}]}))
    assert not aws_provider_ready(folder, VERSION)
