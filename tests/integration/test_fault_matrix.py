"""The external program against a flaky Idura: every fault at every step, with the documented retry policy.

Faults are injected in the emulator (tests count the requests in its log). Read timeout 1 s and a 10 s
deadline per call (IDURA_MANAGEMENT_TIMEOUT, IDURA_MANAGEMENT_DEADLINE) keep the matrix fast; the policy is
the same as with the defaults. Outcome is success or one line on stderr with exit 1; never two applications.
Set IDURA_FAULT_MATRIX_OUT=<file> to also write the matrix as a Markdown table.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, TEST_TOKEN
from tests.support.idura_admin import sha256

pytestmark = pytest.mark.integration

PROGRAM = ROOT / "providers" / "idura" / "idura_application.py"
COGNITO = "https://acme-faults.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
READ_TIMEOUT, DEADLINE = 1, 10
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
    "slow (2 s > read timeout)": {"delay": 2.0},
    "connection reset": {"drop": True},
}
STEPS = ("find", "create", "update", "secret")
MATRIX: list[tuple[str, str, str, str, str]] = []


def run_program(idura, query: dict):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDURA_")} | idura.environment()
    env |= {"IDURA_MANAGEMENT_TIMEOUT": str(READ_TIMEOUT), "IDURA_MANAGEMENT_DEADLINE": str(DEADLINE)}
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, str(PROGRAM)],
        input=json.dumps(query),
        capture_output=True,
        text=True,
        env=env,
        timeout=BOUND + 30,
    )
    return process, time.monotonic() - started


def query(idura, realm: str, **overrides) -> dict:
    return {
        "idura_domain": idura.domain,
        "client_id": realm,
        "application_name": "faults",
        "redirect_uris": json.dumps([COGNITO]),
        "have_secret": "true",
    } | overrides


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
        return True, 2  # ambiguous create -> find -> the application is not there -> one more create
    if fault == "500":
        return False, 1  # a 500 is not retried: its effect is unknown and it may be a bug
    return True, 3  # two failures, then success on the third of at most four attempts


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_transient_fault(idura, idura_admin, step, fault):
    q = prepare(step, idura, idura_admin)
    idura_admin.clear_requests()
    times = 1 if step == "create" else 2
    idura_admin.add_fault(route=step, times=times, **FAULTS[fault])
    try:
        process, wall = run_program(idura, q)
    finally:
        idura_admin.clear_faults()
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
    assert seen == requests, idura_admin.requests()
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
    idura_admin.clear_requests()
    idura_admin.add_fault(route="find", times=-1, **FAULTS[fault])
    try:
        process, wall = run_program(idura, q)
    finally:
        idura_admin.clear_faults()
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


@pytest.mark.parametrize("step", ["create", "secret"])
def test_answer_lost_after_the_work_was_done(idura, idura_admin, step):
    """The effect happened but the answer was lost (502 after the handler): still one application, and the
    secret returned is the one Idura holds."""
    q = prepare(step, idura, idura_admin)
    idura_admin.clear_requests()
    idura_admin.add_fault(route=step, times=1, status=502, after=True)
    try:
        process, _ = run_program(idura, q)
    finally:
        idura_admin.clear_faults()
    routes = idura_admin.routes()
    MATRIX.append(
        (
            "502 after the work was done",
            step,
            f"{routes[step]} {step}, {routes['find']} find",
            "success" if process.returncode == 0 else process.stderr.strip(),
            "",
        )
    )
    assert process.returncode == 0, process.stderr
    app = idura_admin.application(q["client_id"])
    result = json.loads(process.stdout)
    assert app["secretSha256"] == sha256(result["client_secret"])
    if step == "create":
        assert routes["create"] == 1 and routes["find"] == 2  # found after the lost answer: no second create


def teardown_module(module):
    target = os.environ.get("IDURA_FAULT_MATRIX_OUT")
    if target and MATRIX:
        lines = ["| fault | step | requests seen | outcome | wall |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {' | '.join(row)} |" for row in MATRIX]
        with open(target, "w") as out:
            out.write("\n".join(lines) + "\n")
