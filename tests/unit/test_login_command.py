"""`idura-cognito login` refuses, in one line and exit 2, what a trial login cannot do: real AWS, an Idura domain
that is not this shell's emulator, an identity provider or person the stack does not have."""

from __future__ import annotations

import pytest

from tests.support.cli import run_cli
from tests.support.config import base_config, write_config


@pytest.fixture
def config_path(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}]
    return write_config(tmp_path / "idura-cognito.toml", config)


def login(config_path, *args, env=None):
    clean = {"AWS_ENDPOINT_URL": "", "IDURA_MANAGEMENT_URL": ""} | (env or {})
    return run_cli("login", "--config", str(config_path), "--stack", "dev", *args, env=clean)


def one_line_usage_error(result, *words):
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert all(w in result.stderr for w in words), result.stderr


def test_real_aws_is_refused(config_path):
    one_line_usage_error(login(config_path), "trial for the local servers", "real AWS")


def test_an_idura_domain_other_than_the_emulator_is_refused(config_path):
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5999", "IDURA_MANAGEMENT_URL": "https://localhost:8443/"}
    one_line_usage_error(login(config_path, env=env), "stacks.dev.idura.domain", "acme-corp.test.idura.broker")


def test_an_unknown_identity_provider_names_the_stack_s(config_path):
    one_line_usage_error(login(config_path, "--idp", "BankID"), "--idp", "'BankID'", "Idura, MitID")


def test_a_person_that_is_not_an_acr_is_refused(config_path):
    one_line_usage_error(login(config_path, "--person", "Test Testersen"), "--person", "urn:grn:authn:dk:mitid")
