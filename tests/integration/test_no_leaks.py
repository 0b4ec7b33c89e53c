"""Secrets never leak: the whole flow with a recognisable client secret and management token, every stdout,
stderr and log searched. They may appear only in Terraform state and the escrow (checked to be really there, so
the search is not vacuous). The token never enters state."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, TEST_TOKEN, base_config, run_cli, write_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration

CANARY = "IDURA-LEAK-CANARY-SECRET-9f8e7d6c5b4a"


@pytest.fixture(scope="module")
def flow(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("leaks")
    config = base_config()
    config["defaults"]["aws"]["endpoint_url"] = moto.url
    dev = config["stacks"].pop("dev")
    for name, source in (("leakhand", "hand-registered"), ("leakmanaged", "managed")):
        config["stacks"][name] = dev | {
            "idura": {"domain": idura.domain, "client_id": f"urn:idura:test:{name}", "secret_source": source},
            "user_pool": {"name": f"acme-{name}"},
            "domain": {"prefix": f"acme-{name}"},
            "pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}],
        }
    path = write_config(root / "idura-cognito.toml", config)
    transcript: list[str] = []
    secrets_seen = {CANARY}
    states: list[str] = []

    def cli(*args, input=None, env=None):
        result = run_cli(*args, "--config", str(path), input=input, env=idura.environment() | (env or {}))
        transcript.extend([result.stdout, result.stderr])
        return result

    # Hand-registered: the person escrows the secret Idura showed and Idura knows it.
    assert cli("secret", "put", "--stack", "leakhand", input=CANARY + "\n").returncode == 0
    idura_admin.http.post(
        "/_emulator/register",
        json={
            "domain": idura.domain,
            "realm": "urn:idura:test:leakhand",
            "name": "leak",
            "returnUrls": ["https://acme-leakhand.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"],
            "secret": CANARY,
        },
    ).raise_for_status()

    for name in ("leakhand", "leakmanaged"):
        out = root / name
        transcript.append(cli("hcl", "--stack", name, "--out", str(out)).stderr)
        tf = TerraformDir(out, cli_config, extra_env=idura.environment())
        tf.init()
        tf.run("plan", "-input=false", "-json")  # the machine-readable UI stream
        tf.run("apply", "-input=false", "-auto-approve", "-no-color")  # prints the plan as text too
        tf.run("output", "-no-color")
        escrow = tf.outputs()["escrow_secret_name"]
        secrets_seen.add(boto("secretsmanager").get_secret_value(SecretId=escrow)["SecretString"])
        cli("doctor", "--stack", name)
        cli("doctor", "--stack", name, "--json")
        cli("secret", "status", "--stack", name)
        if name == "leakmanaged":
            cli("secret", "rotate", "--stack", name)
            secrets_seen.add(boto("secretsmanager").get_secret_value(SecretId=escrow)["SecretString"])
            tf.run("apply", "-input=false", "-auto-approve", "-no-color")
            tf.run("plan", "-input=false", "-no-color", "-detailed-exitcode", check=False)
        # Error paths: a wrong token, Idura down, bad input.
        cli("doctor", "--stack", name, env={"IDURA_MANAGEMENT_TOKEN": TEST_TOKEN + "-wrong"})
        down = TerraformDir(
            out,
            cli_config,
            extra_env=idura.environment()
            | {"IDURA_MANAGEMENT_URL": "https://127.0.0.1:9/management/v1", "IDURA_MANAGEMENT_DEADLINE": "2"},
        )
        down.run("plan", "-input=false", "-no-color", check=False)
        transcript.extend(down.transcript)
        states.append((out / "terraform.tfstate").read_text())
        transcript.extend(tf.transcript)  # (no destroy: the session's moto is thrown away at the end)
    env = {**os.environ, **idura.environment()}
    for raw in ("not json", json.dumps({"client_id": CANARY}), json.dumps({"idura_domain": TEST_TOKEN})):
        program = subprocess.run(
            [sys.executable, str(ROOT / "providers/idura/idura_application.py")],
            input=raw,
            capture_output=True,
            text=True,
            env=env,
        )
        transcript.extend([program.stdout, program.stderr])
    cli("secret", "put", "--stack", "leakhand", input="\n")
    logs = [idura.server.log.read_text(), idura_admin.http.get("/_emulator/requests").text]
    logs += [p.read_text(errors="replace") for p in idura.server.log.parent.parent.glob("logs/*.log")]
    return {"transcript": transcript, "logs": logs, "secrets": secrets_seen, "states": states}


def test_the_search_is_not_vacuous(flow):
    assert len(flow["secrets"]) == 3  # the canary, the managed secret, the rotated one
    assert any(CANARY in state for state in flow["states"])  # state does hold the secret: protect it
    assert sum(len(t) for t in flow["transcript"]) > 10_000


def test_no_secret_in_any_output(flow):
    text = "\n".join(flow["transcript"])
    for secret in flow["secrets"]:
        assert secret not in text


def test_no_secret_or_token_in_any_log(flow):
    text = "\n".join(flow["logs"])
    assert text
    for value in (*flow["secrets"], TEST_TOKEN):
        assert value not in text


def test_the_token_is_in_no_output_and_never_in_state(flow):
    assert TEST_TOKEN not in "\n".join(flow["transcript"])
    for state in flow["states"]:
        assert TEST_TOKEN not in state
