"""A crash at the worst moment, four pipelines at once, Idura unreachable, a secret answer lost, a failed escrow
write: every case heals on the next allowed apply, and Idura, the escrow and Cognito end up with one secret.

Stacks are rendered as HCL (fast) and run with real terraform against moto and the emulator.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from idura_cognito.login import login
from tests.conftest import ROOT, run_cli, write_config
from tests.support.idura_admin import sha256
from tests.support.stacks import one_stack_config
from tests.support.terraform import ALLOW, TerraformDir

pytestmark = pytest.mark.terraform
PROGRAM = ROOT / "providers" / "idura" / "idura_application.py"


def render(root: Path, name: str, moto, idura, cli_config) -> tuple[TerraformDir, str]:
    realm = f"urn:idura:test:{name}"
    path = write_config(root / f"{name}.toml", one_stack_config(moto.url, idura.domain, name))
    out = root / name
    assert run_cli("hcl", "--config", str(path), "--stack", name, "--out", str(out)).returncode == 0
    tf = TerraformDir.at(out, cli_config, idura.environment())
    tf.init()
    return tf, realm


def secrets_everywhere(tf: TerraformDir, boto, admin, realm: str) -> tuple[str, str, str]:
    """SHA-256 of Idura's current secret, the escrowed one and the one Cognito holds."""
    outputs = tf.outputs()
    document = boto("secretsmanager").get_secret_value(SecretId=outputs["escrow_secret_name"])["SecretString"]
    held = boto("cognito-idp").describe_identity_provider(UserPoolId=outputs["user_pool_id"], ProviderName="Idura")
    return (
        admin.application(realm)["secretSha256"],
        sha256(json.loads(document)["client_secret"]),
        sha256(held["IdentityProvider"]["ProviderDetails"]["client_secret"]),
    )


def agree(tf: TerraformDir, boto, admin, realm: str) -> bool:
    return len(set(secrets_everywhere(tf, boto, admin, realm))) == 1


def cognito_login(tf: TerraformDir, boto, idura) -> dict:
    outputs = tf.outputs()
    details = boto("cognito-idp").describe_identity_provider(UserPoolId=outputs["user_pool_id"], ProviderName="Idura")
    verify = ssl.create_default_context(cafile=idura.ca_file)
    return login(details["IdentityProvider"]["ProviderDetails"], outputs["idura_redirect_url"], verify=verify)


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


def test_sigkill_after_the_secret_was_issued_heals_by_rotation(tmp_path, moto, idura, idura_admin, boto, cli_config):
    tf, realm = render(tmp_path, "crash", moto, idura, cli_config)
    # Idura issues the secret, then holds the answer: the program is killed before it can print anything.
    idura_admin.add_fault(route="secret", times=1, after=True, delay=60)
    apply = subprocess.Popen(
        ["terraform", "apply", "-input=false", "-auto-approve", "-no-color"],
        cwd=tf.workdir,
        env=tf.env | ALLOW,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            apps = idura_admin.applications(realm)
            if apps and apps[0]["secretSha256"]:
                break
            time.sleep(0.1)
        assert idura_admin.applications(realm)[0]["secretSha256"], "Idura never issued the secret"
        killed = [
            pid
            for pid in descendants(apply.pid)
            if "idura_application.pyz" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        ]
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        _, stderr = apply.communicate(timeout=120)
    finally:
        idura_admin.clear_faults()
        if apply.poll() is None:
            apply.kill()
    assert killed, "the program was not running"
    assert apply.returncode == 1 and "External Program Execution Failed" in stderr
    issued_before_crash = idura_admin.application(realm)["secretSha256"]

    idura_admin.clear_requests()
    tf.allowed().apply()
    assert idura_admin.routes()["secret"] == 1  # healed by one rotation
    assert idura_admin.application(realm)["secretSha256"] != issued_before_crash
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_code()[0] == 0


def race(idura, realm: str, runs: int = 4) -> list[subprocess.CompletedProcess]:
    """``runs`` programs whose stdin is written at the same moment (a barrier), as parallel pipelines would."""
    query = json.dumps(
        {
            "idura_domain": idura.domain,
            "client_id": realm,
            "application_name": "race",
            "redirect_uris": json.dumps(["https://acme-race.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]),
            "have_secret": "false",
        }
    )
    env = {**os.environ, **idura.environment(), **ALLOW}
    processes = [
        subprocess.Popen(
            [sys.executable, str(PROGRAM)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(runs)
    ]
    time.sleep(1.0)  # every interpreter is up and waiting on stdin
    barrier = threading.Barrier(runs)
    outcomes: list = [None] * runs

    def feed(index: int) -> None:
        barrier.wait()
        outcomes[index] = processes[index].communicate(query, timeout=120)

    threads = [threading.Thread(target=feed, args=(i,)) for i in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [
        subprocess.CompletedProcess(p.args, p.returncode, out, err)
        for p, (out, err) in zip(processes, outcomes, strict=True)
    ]


def overlapped(requests: list[dict], route: str) -> bool:
    """Every request to ``route`` arrived before the first of them completed: they really ran at once."""
    calls = [r for r in requests if r["route"] == route]
    return len(calls) > 1 and max(r["time"] for r in calls) < min(r["done"] for r in calls)


def test_four_programs_at_once_make_one_application_one_secret_and_the_next_apply_converges(
    tmp_path, moto, idura, idura_admin, boto, cli_config
):
    tf, realm = render(tmp_path, "race", moto, idura, cli_config)
    idura_admin.clear_requests()
    idura_admin.add_fault(route="create", times=4, delay=1.0)  # all four creates are in flight together
    try:
        results = race(idura, realm)
    finally:
        idura_admin.clear_faults()
    log = idura_admin.requests()
    assert overlapped(log, "create"), log
    assert sorted(r["status"] for r in log if r["route"] == "create") == [201, 409, 409, 409]
    winners = [r for r in results if r.returncode == 0]
    assert len(winners) == 1 and json.loads(winners[0].stdout)["action"] == "created"
    for loser in (r for r in results if r.returncode != 0):
        assert "was created by another run at the same moment" in loser.stderr
    assert [r["status"] for r in log if r["route"] == "secret"] == [200]  # exactly one secret issued
    assert len(idura_admin.applications(realm)) == 1

    tf.allowed().apply()
    assert len(idura_admin.applications(realm)) == 1
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_code()[0] == 0


def test_without_idura_s_unique_realm_guard_the_same_race_creates_four_and_the_product_refuses_them(idura, idura_admin):
    """The race test above is not passing by construction: without the server's guard all four creates
    succeed (they overlap), and the product then refuses to pick one of the duplicates."""
    realm = "urn:idura:test:race-unguarded"
    idura_admin.settings(uniqueRealms=False)
    idura_admin.clear_requests()
    idura_admin.add_fault(route="create", times=4, delay=1.0)
    try:
        results = race(idura, realm)
        log = idura_admin.requests()
        assert overlapped(log, "create"), log
        assert [r["status"] for r in log if r["route"] == "create"].count(201) == 4
        assert len(idura_admin.applications(realm)) == 4
        again = race(idura, realm, runs=1)[0]
    finally:
        idura_admin.clear_faults()
        idura_admin.settings(uniqueRealms=True)
    assert any(r.returncode == 0 for r in results)
    assert again.returncode == 1
    assert f"Idura holds 4 applications for client id '{realm}'" in again.stderr


def test_idura_unreachable_fails_the_plan_and_leaves_state_untouched(
    tmp_path, moto, idura, idura_admin, boto, cli_config
):
    tf, realm = render(tmp_path, "outage", moto, idura, cli_config)
    tf.allowed().apply()
    state_file = tmp_path / "terraform.outage.tfstate"
    state = state_file.read_bytes()
    assert oct(state_file.stat().st_mode & 0o777) == "0o600"  # it holds the secret: the owner's only

    down = TerraformDir(
        tf.workdir,
        tf.env
        | ALLOW
        | {"IDURA_MANAGEMENT_URL": "https://127.0.0.1:9/management/v1", "IDURA_MANAGEMENT_DEADLINE": "3"},
    )
    for command in (("plan", "-input=false"), ("apply", "-input=false", "-auto-approve")):
        failed = down.run(*command, check=False)
        message = " ".join(failed.stderr.split())  # terraform wraps long lines
        assert failed.returncode == 1
        assert "External Program Execution Failed" in message
        assert "idura_application: Idura management API GET /domains/" in message
        assert "connection failed (ConnectError) after 4 attempt(s)" in message
        assert state_file.read_bytes() == state

    tf.allowed().apply()  # Idura is back
    assert agree(tf, boto, idura_admin, realm)
    assert tf.plan_code()[0] == 0


@pytest.fixture(scope="module")
def lost_answers(tmp_path_factory, moto, idura, idura_admin, boto, cli_config, moto_faults):
    """One stack through three bad moments, recorded in order."""
    root = tmp_path_factory.mktemp("lost")
    tf, realm = render(root, "lost", moto, idura, cli_config)
    record: dict = {}

    # 1. The first secret request is slow: it completes at Idura after the client gave up, and lands after the
    #    client's retry. Compare-and-swap keeps the late one from replacing the secret Terraform stores.
    idura_admin.clear_requests()
    idura_admin.add_fault(route="secret", times=2, delay=2.0, shield=True)
    try:
        TerraformDir(tf.workdir, tf.allowed().env | {"IDURA_MANAGEMENT_TIMEOUT": "1"}).apply()
    finally:
        idura_admin.clear_faults()
    time.sleep(2.5)  # the slow requests have completed at the emulator
    record["slow"] = {
        "secret_statuses": [r["status"] for r in idura_admin.requests() if r["route"] == "secret"],
        "everywhere": secrets_everywhere(tf, boto, idura_admin, realm),
        "login": cognito_login(tf, boto, idura),
    }

    # 2. Someone rotates the secret at Idura behind Terraform's back: the escrow's id is no longer current.
    app = idura_admin.application(realm)
    response = idura_admin.http.post(
        f"/management/v1/domains/{idura.domain}/applications/{app['id']}/client-secret", json={}
    )
    response.raise_for_status()
    idura_admin.clear_requests()
    record["stale_plan"] = tf.plan_code()
    record["stale_plan_requests"] = dict(idura_admin.routes())
    tf.allowed().apply()
    record["stale_healed"] = secrets_everywhere(tf, boto, idura_admin, realm)
    record["stale_final_plan"] = tf.plan_code()[0]

    # 3. The escrow write fails after Idura issued a new secret (a rotation is due again).
    app = idura_admin.application(realm)
    idura_admin.http.post(f"/management/v1/domains/{idura.domain}/applications/{app['id']}/client-secret", json={})
    (moto_faults / "PutSecretValue").touch()
    record["failed_write"] = tf.allowed().apply_code()
    record["after_failed_write"] = secrets_everywhere(tf, boto, idura_admin, realm)
    tf.allowed().apply()
    record["converged"] = secrets_everywhere(tf, boto, idura_admin, realm)
    record["login_after"] = cognito_login(tf, boto, idura)
    record["final_plan"] = tf.plan_code()[0]
    record["transcript"] = tf.text()
    return record


def test_a_late_secret_answer_never_leaves_a_dead_secret_in_cognito(lost_answers):
    slow = lost_answers["slow"]
    assert slow["secret_statuses"] == [200, 409, 409, 200]  # the late ones refused as stale replacements
    assert len(set(slow["everywhere"])) == 1
    assert slow["login"]["identityscheme"] == "dkmitid"


def test_a_stale_escrow_is_reported_by_a_plain_plan_and_healed_by_an_allowed_apply(lost_answers):
    code, output = lost_answers["stale_plan"]
    text = " ".join(output.split())
    assert code == 0  # nothing changes without the switch; the check says what would
    assert "would issue a new client secret: the escrowed secret is not Idura's current one" in text
    assert lost_answers["stale_plan_requests"] == {"find": 1}
    assert len(set(lost_answers["stale_healed"])) == 1
    assert lost_answers["stale_final_plan"] == 0


def test_a_failed_escrow_write_is_noticed_and_the_next_apply_converges(lost_answers):
    code, output = lost_answers["failed_write"]
    assert code == 1 and "AccessDeniedException" in output
    idura_now, escrowed, _ = lost_answers["after_failed_write"]
    assert idura_now != escrowed  # the escrow kept its old secret with its old id: a stale escrow, visible
    assert len(set(lost_answers["converged"])) == 1
    assert lost_answers["login_after"]["identityscheme"] == "dkmitid"
    assert lost_answers["final_plan"] == 0
