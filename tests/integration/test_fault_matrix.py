"""The external program against a flaky Idura: every fault at every step, with the documented retry policy.

Faults are injected in the emulator (tests count the requests in its log). Read timeout 1 s and a 10 s
deadline per call (IDURA_MANAGEMENT_TIMEOUT, IDURA_MANAGEMENT_DEADLINE) keep the matrix fast; the policy is
the same as with the defaults. Outcome is success or one line on stderr with exit 1; never two applications.
Set IDURA_FAULT_MATRIX_OUT=<file> to also write the matrix as a Markdown table.

The cases are independent (each uses its own client id) and mostly wait, so they are spread over both workers.
"""

from __future__ import annotations

import json
import os
import secrets
import time

import pytest

from idura_verify.program.management import MAX_REQUESTS
from tests.support.idura_admin import sha256
from tests.support.program import environment as program_environment
from tests.support.program import query as program_query
from tests.support.program import run_program as run_the_program
from tests.support.secrets import TEST_TOKEN

READ_TIMEOUT, DEADLINE = 0.4, 10
#: The bound the contract documents for one program run: at most 4 calls, each within its deadline plus one
#: read timeout (an attempt in flight when the deadline passes).
BOUND = 4 * (DEADLINE + READ_TIMEOUT)

FAULTS = {
    "429 + Retry-After: 1": {"status": 429, "retry_after": 1},
    "429": {"status": 429},
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "504": {"status": 504},
    "slow (0.8 s > read timeout)": {"delay": 0.8},
    "slow, completes after the client gave up": {"delay": 0.8, "shield": True},
    "connection reset": {"drop": True},
}
STEPS = ("find", "create", "update", "secret")
MATRIX: list[tuple[str, str, str, str, str]] = []
XDIST_SPREAD = True  # no module-scoped scenario: let xdist spread the cases (tests/conftest.py)


def run_program(idura, query: dict):
    env = program_environment(
        idura.environment(),
        allowed=True,
        IDURA_MANAGEMENT_TIMEOUT=str(READ_TIMEOUT),
        IDURA_MANAGEMENT_DEADLINE=str(DEADLINE),
    )
    started = time.monotonic()
    process = run_the_program(query, env, timeout=BOUND + 30)
    return process, time.monotonic() - started


def run_with_faults(idura, idura_admin, query: dict, *faults: dict):
    """Run the program with ``faults`` injected (each the arguments of one add_fault), from a clear request log;
    the faults are cleared afterwards whatever happens."""
    idura_admin.clear_requests()
    for fault in faults:
        idura_admin.add_fault(**fault)
    try:
        return run_program(idura, query)
    finally:
        idura_admin.clear_faults()


def query(idura, realm: str, **overrides) -> dict:
    return program_query(idura.domain, realm, application_name="faults", **overrides)


def prepare(step: str, idura, idura_admin) -> dict:
    """A fresh application in the state where the program's next call is ``step``; returns the query."""
    realm = f"urn:idura:test:faults:{secrets.token_hex(6)}"
    if step in ("find", "create"):
        return query(idura, realm, have_secret="false")
    created, _ = run_program(idura, query(idura, realm, have_secret="false"))
    result = json.loads(created.stdout)
    if step == "update":
        idura_admin.change(realm, returnUrls=["https://someone-else.example/cb"])
        return query(idura, realm, escrowed_secret_id=result["secret_id"])
    return query(idura, realm, have_secret="false")  # step "secret": the escrow is empty, so it rotates


def expected(step: str, fault: str) -> tuple[bool, int]:
    """(succeeds, requests to the faulted route) under the documented policy, for a transient fault."""
    if step == "create":
        # A 429 was refused before any work: sent again after the wait. Anything else is ambiguous: find, the
        # application is not there, one more create.
        return True, 2
    if fault == "500":
        return False, 1  # a 500 is not retried: its effect is unknown and it may be a bug
    if step == "secret" and "completes" in fault:
        # Both slow requests complete at Idura after the client gave up; the first one issues a secret, so the
        # third (fast) one is refused as a stale replacement, and a fourth replaces the current one. The second
        # lands last and is refused too: the secret returned stays Idura's current one.
        return True, 4
    if step == "create" and "completes" in fault:
        return True, 2  # the slow create lands after the second one and is refused as a conflict
    return True, 3  # two failures, then success on the third of at most four attempts


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_transient_fault(idura, idura_admin, step, fault):
    q = prepare(step, idura, idura_admin)
    times = 1 if step == "create" else 2
    process, wall = run_with_faults(idura, idura_admin, q, dict(route=step, times=times, **FAULTS[fault]))
    seen = idura_admin.routes()[step]
    succeeds, requests = expected(step, fault)
    outcome = "success" if process.returncode == 0 else f"exit 1: {process.stderr.strip()}"
    MATRIX.append(
        (
            fault,
            step,
            f"{seen} {step}" + (f", {idura_admin.routes()['find']} find" if step == "create" else ""),
            outcome,
            f"{wall:.1f} s",
        )
    )
    assert wall < BOUND
    idura_admin.wait_until_settled()  # a slow request finishes at the emulator after the client gave up
    seen = idura_admin.routes()[step]
    assert seen == requests, json.dumps(
        [
            (r["route"], r["status"], r["fault"], round(r["time"] % 100, 2), round((r.get("done") or 0) % 100, 2))
            for r in idura_admin.requests()
        ]
    )
    apps = idura_admin.applications(q["client_id"])
    assert len(apps) <= 1  # never two applications for one client id
    if succeeds:
        assert len(apps) == 1
        assert process.returncode == 0, process.stderr
        result = json.loads(process.stdout)
        if result["client_secret"]:  # the secret returned is the one Idura holds now
            assert idura_admin.application(q["client_id"])["secretSha256"] == sha256(result["client_secret"])
    else:
        assert process.returncode == 1 and process.stdout == ""
        assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr
        assert "HTTP 500" in process.stderr
    assert TEST_TOKEN not in process.stderr


@pytest.mark.parametrize("fault", list(FAULTS))
def test_persistent_fault_fails_with_one_line_within_the_bound(idura, idura_admin, fault):
    q = prepare("find", idura, idura_admin)
    process, wall = run_with_faults(idura, idura_admin, q, dict(route="find", times=-1, **FAULTS[fault]))
    seen = idura_admin.routes()["find"]
    MATRIX.append(
        (
            f"{fault} (persistent)",
            "find",
            f"{seen} find",
            f"exit {process.returncode}: {process.stderr.strip()}",
            f"{wall:.1f} s",
        )
    )
    assert process.returncode == 1 and process.stdout == ""
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr
    assert process.stderr.startswith("idura_application: Idura management API GET /domains/")
    assert seen == (1 if fault == "500" else 4)
    assert wall < BOUND
    assert idura_admin.applications(q["client_id"]) == []


def test_a_lost_secret_answer_leaves_the_caller_holding_idura_s_current_secret(idura, idura_admin):
    """The secret was issued but the answer lost (502 after the handler): the retry replaces a secret id that is
    no longer current, Idura refuses it, the client re-reads and replaces the right one."""
    q = prepare("secret", idura, idura_admin)
    process, _ = run_with_faults(idura, idura_admin, q, dict(route="secret", times=1, status=502, after=True))
    routes = idura_admin.routes()
    MATRIX.append(
        (
            "502 after the work was done",
            "secret",
            f"{routes['secret']} secret, {routes['get']} get",
            "success" if process.returncode == 0 else process.stderr.strip(),
            "",
        )
    )
    assert process.returncode == 0, process.stderr
    assert routes["secret"] == 3 and routes["get"] == 1
    result = json.loads(process.stdout)
    assert idura_admin.application(q["client_id"])["secretSha256"] == sha256(result["client_secret"])


def test_a_lost_create_answer_stops_the_run_and_the_next_run_heals(idura, idura_admin):
    """The application was created but the answer lost: found afterwards, it is not known to be ours, so this
    run issues nothing and stops with one line; the next run keys it."""
    q = prepare("create", idura, idura_admin)
    process, _ = run_with_faults(idura, idura_admin, q, dict(route="create", times=1, status=502, after=True))
    routes = idura_admin.routes()
    MATRIX.append(
        (
            "502 after the work was done",
            "create",
            f"{routes['create']} create, {routes['find']} find",
            process.stderr.strip() or "success",
            "",
        )
    )
    assert process.returncode == 1 and "was created by another run at the same moment (or by this run" in process.stderr
    assert routes["create"] == 1 and routes["find"] == 2 and "secret" not in routes  # no second create
    healed, _ = run_program(idura, q)
    result = json.loads(healed.stdout)
    assert result["action"] == "rotated"
    assert idura_admin.application(q["client_id"])["secretSha256"] == sha256(result["client_secret"])


def test_the_documented_request_budget_holds_on_a_hard_path(idura, idura_admin):
    """Find, create and update each fail three times before they succeed: the run still stays within the
    documented maximum of requests (MAX_REQUESTS), counted in the emulator's log."""
    q = prepare("find", idura, idura_admin)
    faults = [dict(route=step, times=3, status=503) for step in ("find", "secret")]
    faults.append(dict(route="create", times=3, status=429, retry_after=0))
    process, _ = run_with_faults(idura, idura_admin, q, *faults)
    total = len(idura_admin.requests())
    MATRIX.append(("every step 3 times", "all", f"{total} requests", "success" if not process.returncode else "", ""))
    assert process.returncode == 0, process.stderr
    assert total == 14 <= MAX_REQUESTS  # 12, and the two discovery reads


def teardown_module(module):
    target = os.environ.get("IDURA_FAULT_MATRIX_OUT")
    if target and MATRIX:
        lines = ["| fault | step | requests seen | outcome | wall |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {' | '.join(row)} |" for row in MATRIX]
        with open(target, "w") as out:
            out.write("\n".join(lines) + "\n")
