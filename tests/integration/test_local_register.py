"""The local hand-registered trial as the README's "Try it locally" gives it: `local register` stands in for Idura's
dashboard and its secret goes, through a pipe, straight into `secret put`. Against moto and the Idura emulator;
the escrowed secret then logs in at the emulator (a real authorize -> token -> userinfo), and it is in no output.
"""

from __future__ import annotations

import json
import os
import pty
import ssl
import subprocess

import pytest

from idura_cognito.local.federated_login import login
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, parsed_config, write_config
from tests.support.paths import CLI

NAME = "localreg"


@pytest.fixture(scope="module")
def trial(tmp_path_factory, moto, idura, idura_admin, boto):
    root = tmp_path_factory.mktemp("local-register")
    config = one_stack_config(idura.domain, NAME, secret_source="hand-registered")
    path = write_config(root / "idura-cognito.toml", config)
    env = {**os.environ, **idura.environment(), "AWS_ENDPOINT_URL": moto.url, "IDURA_COGNITO_CONFIG": str(path)}
    r: dict = {"env": env, "root": root}
    # On a terminal it refuses before registering anything: a secret shown there stays in scroll-back.
    primary, secondary = pty.openpty()
    refused = subprocess.run(
        [CLI, "local", "register", "--stack", NAME], stdout=secondary, stderr=subprocess.PIPE, env=env, timeout=60
    )
    os.close(secondary)
    os.close(primary)
    r["tty"] = refused
    r["after_tty"] = idura_admin.applications(f"urn:idura:test:{NAME}")
    piped = subprocess.run(
        f"{CLI} local register --stack {NAME} | {CLI} secret put --stack {NAME}",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    r["piped"] = piped
    r["again"] = run_cli("local", "register", "--stack", NAME, env=env)
    escrow_name = parsed_config(config).stack(NAME).escrow_name
    r["escrow_name"] = escrow_name
    escrow = boto("secretsmanager").get_secret_value(SecretId=escrow_name)
    r["escrowed"] = json.loads(escrow["SecretString"])["client_secret"]
    return r


def test_on_a_terminal_it_refuses_and_registers_nothing(trial):
    assert trial["tty"].returncode == 2
    assert b"pipe it into secret put" in trial["tty"].stderr and b"Traceback" not in trial["tty"].stderr
    assert trial["after_tty"] == []


def test_piped_into_secret_put_the_escrow_holds_a_secret_the_emulator_accepts(trial, idura):
    piped = trial["piped"]
    assert piped.returncode == 0, piped.stderr
    assert "Registered urn:idura:test:localreg at the local Idura emulator" in piped.stderr
    assert f"created escrow {trial['escrow_name']}" in piped.stderr
    details = {
        "client_id": f"urn:idura:test:{NAME}",
        "client_secret": trial["escrowed"],
        "oidc_issuer": f"https://{idura.domain}",
        "authorize_scopes": "openid",
    }
    redirect = f"https://acme-{NAME}.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    claims = login(details, redirect, verify=ssl.create_default_context(cafile=idura.ca_file))
    assert claims["sub"]


def test_a_second_registration_is_refused_in_one_line(trial):
    again = trial["again"]
    assert again.returncode == 1 and "client ids must be unique" in again.stderr
    assert again.stderr.count("\n") == 1 and again.stdout == ""


def test_the_secret_is_in_no_output(trial):
    outputs = [trial["piped"].stdout, trial["piped"].stderr, trial["again"].stdout, trial["again"].stderr]
    outputs.append(trial["tty"].stderr.decode())
    assert all(trial["escrowed"] not in text for text in outputs)
