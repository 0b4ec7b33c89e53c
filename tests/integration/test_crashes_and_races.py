"""A crash at the worst moment, four pipelines at once, Idura unreachable: every case heals on the next allowed
apply, and Idura, the escrow and Cognito end up with one secret. (A lost secret answer and a failed escrow write:
test_lost_answers.py.)

Stacks are rendered as HCL (fast) and run with real terraform against moto and the emulator. The cases are
independent, so they spread over the workers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.managed_hcl import agree, render
from tests.support.program import command as program_command
from tests.support.program import environment as program_environment
from tests.support.program import query as program_query
from tests.support.secrets import TEST_TOKEN, assert_not_shown, escrowed_secret
from tests.support.terraform import ALLOW, APPLY, DESTROY, PLAN, TerraformDir

pytestmark = pytest.mark.terraform
XDIST_SPREAD = True
SCENARIO_SECONDS = 30  # each case, measured on 2 cores (tests/conftest.py schedules the heaviest first)


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
            if "idura_verify/program" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
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
    assert tf.plan()[0] == 0


def race(idura, realm: str, runs: int = 4) -> list[subprocess.CompletedProcess]:
    """``runs`` programs whose stdin is written at the same moment (a barrier), as parallel pipelines would."""
    query = json.dumps(program_query(idura.domain, realm, application_name="race", have_secret="false"))
    env = program_environment(idura.environment(), allowed=True)
    processes = [
        subprocess.Popen(
            program_command(),
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
    assert tf.plan()[0] == 0


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


@dataclass(frozen=True)
class MovedOutage:
    """The recorded outage scenario of a moved HCL folder."""

    #: A plain first apply (no switch): it stops at the gate; its error output on one line.
    plain_first_apply: tuple[int, str]
    first_apply_calls: dict[str, int]
    first_agree: bool
    state_mode: str
    #: The plan and the apply while Idura is unreachable: (exit code, stderr on one line, state untouched).
    failed: list[tuple[int, str, bool]]
    agree_after: bool
    plan_after: int
    secret: str
    destroy: int
    transcript: str


@pytest.fixture(scope="module")
def moved_outage(tmp_path_factory, moto, idura, idura_admin, boto, cli_config) -> MovedOutage:
    """A rendered HCL folder, checked into another repository at another path (portable output: it runs the
    program it carries as `python3 -I <path relative to the folder>`), applied; then Idura goes unreachable for
    a plan and an apply; then Idura is back; then destroy."""
    root = tmp_path_factory.mktemp("outage")
    rendered, realm = render(root, "outage", moto, idura, cli_config, init=False)
    checked_in = root / "infra-repo" / "cognito"
    shutil.copytree(rendered.workdir, checked_in)
    shutil.rmtree(rendered.workdir)
    tf = TerraformDir.at(checked_in, cli_config, idura.environment())
    tf.init()
    state_file = checked_in / "terraform.tfstate"  # a rendered root keeps its local state in its own folder
    failed: list[tuple[int, str, bool]] = []
    code, output = tf.attempt(*APPLY)
    plain_first_apply = (code, " ".join(output.split()))
    idura_admin.clear_requests()
    tf.allowed().apply()
    first_apply_calls = dict(idura_admin.routes())
    first_agree = agree(tf, boto, idura_admin, realm)
    state = state_file.read_bytes()
    state_mode = oct(state_file.stat().st_mode & 0o777)

    down = TerraformDir(
        tf.workdir,
        tf.env
        | ALLOW
        | {"IDURA_MANAGEMENT_URL": "https://127.0.0.1:9/management/v1", "IDURA_MANAGEMENT_DEADLINE": "3"},
    )
    for command in (("plan", "-input=false"), ("apply", "-input=false", "-auto-approve")):
        process = down.run(*command, check=False)
        failed.append((process.returncode, " ".join(process.stderr.split()), state_file.read_bytes() == state))

    tf.allowed().apply()  # Idura is back
    agree_after = agree(tf, boto, idura_admin, realm)
    plan_after = tf.attempt(*PLAN)[0]
    secret = escrowed_secret(boto, tf.outputs()["escrow_secret_name"])
    destroy = tf.attempt(*DESTROY)[0]
    return MovedOutage(
        plain_first_apply=plain_first_apply,
        first_apply_calls=first_apply_calls,
        first_agree=first_agree,
        state_mode=state_mode,
        failed=failed,
        agree_after=agree_after,
        plan_after=plan_after,
        secret=secret,
        destroy=destroy,
        transcript=tf.text(),
    )


@pytest.mark.xdist_group("moved-outage")  # one scenario for both tests, on one worker
def test_a_plain_first_apply_stops_at_the_gate_and_says_what_idura_needs(moved_outage):
    """The module's gate message is shown: it holds what the program reported, never marked sensitive (a message
    Terraform cannot show would read "refers to sensitive values")."""
    code, output = moved_outage.plain_first_apply
    assert code == 1
    assert "No client secret for Cognito: changes at Idura are needed and this run may not make them (would " in output
    assert "refers to sensitive values" not in output


@pytest.mark.xdist_group("moved-outage")
def test_idura_unreachable_fails_the_plan_and_leaves_state_untouched(moved_outage):
    r = moved_outage
    assert r.state_mode == "0o600"  # it holds the secret: the owner's only
    assert len(r.failed) == 2
    for code, message, state_untouched in r.failed:
        assert code == 1
        assert "External Program Execution Failed" in message
        assert "idura_application: Idura management API GET /: connection failed" in message  # discovery
        assert "connection failed (ConnectionRefusedError) after 4 attempt(s)" in message
        assert state_untouched
    assert r.agree_after and r.plan_after == 0  # Idura is back: the next apply converges


@pytest.mark.xdist_group("moved-outage")
def test_a_rendered_hcl_folder_runs_after_a_move_and_destroys(moved_outage):
    r = moved_outage
    assert r.first_apply_calls == {"find": 1, "create": 1, "secret": 1}
    assert r.first_agree and r.plan_after == 0
    assert r.destroy == 0
    assert_not_shown(r.transcript, r.secret, TEST_TOKEN)
