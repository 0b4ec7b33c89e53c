"""A crash at the worst moment, four pipelines at once, and Idura unreachable: every case heals on the next apply.

Stacks are rendered as HCL (fast) and run with real terraform against moto and the emulator.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, write_config
from tests.support.idura_admin import sha256
from tests.support.stacks import one_stack_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration


def render(root: Path, name: str, moto, idura) -> tuple[TerraformDir, str, Path]:
    realm = f"urn:idura:test:{name}"
    path = write_config(root / f"{name}.toml", one_stack_config(moto.url, idura.domain, name))
    out = root / name
    assert run_cli("hcl", "--config", str(path), "--stack", name, "--out", str(out)).returncode == 0
    return out, realm, path


def agree(tf: TerraformDir, boto, admin, realm: str) -> bool:
    outputs = tf.outputs()
    escrowed = boto("secretsmanager").get_secret_value(SecretId=outputs["escrow_secret_name"])["SecretString"]
    held = boto("cognito-idp").describe_identity_provider(UserPoolId=outputs["user_pool_id"], ProviderName="Idura")
    return (
        admin.application(realm)["secretSha256"]
        == sha256(escrowed)
        == sha256(held["IdentityProvider"]["ProviderDetails"]["client_secret"])
    )


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> list[int]:
    """Processes below ``root`` (Linux /proc), so only this test's program is killed."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def terraform_env(tf: TerraformDir) -> dict:
    from idura_cognito import toolchain

    return toolchain.terraform_env(tf.cli_config, {**os.environ, **tf.extra_env})


def test_sigkill_after_the_secret_was_issued_heals_by_rotation(
    tmp_path, moto, idura, idura_admin, boto, cli_config
):
    out, realm, _ = render(tmp_path, "crash", moto, idura)
    tf = TerraformDir(out, cli_config, extra_env=idura.environment())
    tf.init()
    # Idura issues the secret, then holds the answer: the program is killed before it can print anything.
    idura_admin.add_fault(route="secret", times=1, after=True, delay=60)
    apply = subprocess.Popen(
        ["terraform", "apply", "-input=false", "-auto-approve", "-no-color"],
        cwd=out,
        env=terraform_env(tf),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            apps = idura_admin.applications(realm)
            if apps and apps[0]["secretSha256"]:
                break
            time.sleep(0.1)
        assert idura_admin.applications(realm)[0]["secretSha256"], "Idura never issued the secret"
        killed = [pid for pid in descendants(apply.pid) if "idura_application.pyz" in cmdline(pid)]
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        stdout, stderr = apply.communicate(timeout=120)
    finally:
        idura_admin.clear_faults()
        if apply.poll() is None:
            apply.kill()
    assert killed, "the program was not running"
    assert apply.returncode == 1
    assert "External Program Execution Failed" in stderr
    issued_before_crash = idura_admin.application(realm)["secretSha256"]

    idura_admin.clear_requests()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    assert idura_admin.routes()["secret"] == 1  # healed by one rotation
    assert idura_admin.application(realm)["secretSha256"] != issued_before_crash
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_exit_code()[0] == 0


def test_four_programs_at_once_make_one_application_and_the_next_apply_converges(
    tmp_path, moto, idura, idura_admin, boto, cli_config
):
    out, realm, _ = render(tmp_path, "race", moto, idura)
    query = json.dumps(
        {
            "idura_domain": idura.domain,
            "client_id": realm,
            "application_name": "race",
            "redirect_uris": json.dumps(
                ["https://acme-race.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]
            ),
            "have_secret": "false",
        }
    )
    env = {**os.environ, **idura.environment()}
    program = [sys.executable, str(ROOT / "providers/idura/idura_application.py")]
    processes = [
        subprocess.Popen(
            program, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(4)
    ]
    results = [p.communicate(query, timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], [err for _, err in results]
    actions = sorted(json.loads(outcome)["action"] for outcome, _ in results)
    assert actions.count("created") == 1
    assert len(idura_admin.applications(realm)) == 1

    tf = TerraformDir(out, cli_config, extra_env=idura.environment())
    tf.init()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    assert len(idura_admin.applications(realm)) == 1
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_exit_code()[0] == 0


def test_idura_unreachable_fails_the_plan_and_leaves_state_untouched(
    tmp_path, moto, idura, idura_admin, boto, cli_config
):
    out, realm, _ = render(tmp_path, "outage", moto, idura)
    tf = TerraformDir(out, cli_config, extra_env=idura.environment())
    tf.init()
    tf.run("apply", "-input=false", "-auto-approve", "-no-color")
    state = (out / "terraform.tfstate").read_bytes()

    down = TerraformDir(
        out,
        cli_config,
        extra_env=idura.environment()
        | {"IDURA_MANAGEMENT_URL": "https://127.0.0.1:9/management/v1", "IDURA_MANAGEMENT_DEADLINE": "3"},
    )
    for command in (
        ("plan", "-input=false", "-no-color"),
        ("apply", "-input=false", "-auto-approve", "-no-color"),
    ):
        failed = down.run(*command, check=False)
        message = " ".join(failed.stderr.split())  # terraform wraps long lines
        assert failed.returncode == 1
        assert "External Program Execution Failed" in message
        assert "idura_application: Idura management API GET /domains/" in message
        assert "connection failed (ConnectError) after 4 attempt(s)" in message
        assert (out / "terraform.tfstate").read_bytes() == state

    tf.run("apply", "-input=false", "-auto-approve", "-no-color")  # Idura is back
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_exit_code()[0] == 0
