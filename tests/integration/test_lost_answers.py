"""Lost answers, each its own scenario on one managed stack rendered as HCL and run with plain Terraform: a
secret answer lost, a stale escrow (a plain plan is a read), a failed escrow write. Each heals on the next allowed apply, and Idura, the
escrow and Cognito end up with one secret that logs in. A failure in one scenario does not error the others:
each starts from a converged stack.
"""

from __future__ import annotations

import pytest

from tests.support.managed_hcl import cognito_login, render, secrets_everywhere
from tests.support.terraform import APPLY, PLAN, TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 90  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, moto, idura, cli_config):
    root = tmp_path_factory.mktemp("lost")
    return render(root, "lost", moto, idura, cli_config)


@pytest.fixture(scope="module")
def slow_secret_answer(stack, idura, idura_admin, boto):
    """The first secret request is slow: it completes at Idura after the client gave up, and lands after the
    client's retry. Compare-and-swap keeps the late one from replacing the secret Terraform stores."""
    tf, realm = stack
    idura_admin.clear_requests()
    idura_admin.add_fault(route="secret", times=2, delay=2.0, shield=True)
    try:
        TerraformDir(tf.workdir, tf.allowed().env | {"IDURA_MANAGEMENT_TIMEOUT": "1"}).apply()
    finally:
        idura_admin.clear_faults()
    idura_admin.wait_until_settled()  # the slow requests have completed at the emulator
    return {
        "secret_statuses": [r["status"] for r in idura_admin.requests() if r["route"] == "secret"],
        "everywhere": secrets_everywhere(tf, boto, idura_admin, realm),
        "login": cognito_login(tf, boto, idura),
    }


@pytest.fixture(scope="module")
def stale_escrow(stack, idura, idura_admin, boto):
    """Someone rotates the secret at Idura behind Terraform's back: the escrow's id is no longer current."""
    tf, realm = stack
    tf.allowed().apply()  # converged, whatever the scenario before left
    idura_admin.rotate_secret(realm)
    idura_admin.clear_requests()
    record = {"plan": tf.attempt(*PLAN), "plan_requests": dict(idura_admin.routes())}
    tf.allowed().apply()
    record["healed"] = secrets_everywhere(tf, boto, idura_admin, realm)
    record["final_plan"] = tf.attempt(*PLAN)[0]
    return record


@pytest.fixture(scope="module")
def failed_escrow_write(stack, idura, idura_admin, boto, moto_faults):
    """The escrow write fails after Idura issued a new secret (a rotation is due)."""
    tf, realm = stack
    tf.allowed().apply()  # converged, whatever the scenario before left
    idura_admin.rotate_secret(realm)
    (moto_faults / "PutSecretValue").touch()
    record = {"apply": tf.allowed().attempt(*APPLY), "after": secrets_everywhere(tf, boto, idura_admin, realm)}
    tf.allowed().apply()
    record["converged"] = secrets_everywhere(tf, boto, idura_admin, realm)
    record["login"] = cognito_login(tf, boto, idura)
    record["final_plan"] = tf.attempt(*PLAN)[0]
    return record


def test_a_late_secret_answer_never_leaves_a_dead_secret_in_cognito(slow_secret_answer):
    slow = slow_secret_answer
    assert slow["secret_statuses"] == [200, 409, 409, 200]  # the late ones refused as stale replacements
    assert len(set(slow["everywhere"])) == 1
    assert slow["login"]["identityscheme"] == "dkmitid"


def test_a_stale_escrow_is_reported_by_a_plain_plan_and_healed_by_an_allowed_apply(stale_escrow):
    code, output = stale_escrow["plan"]
    text = " ".join(output.split())
    assert code == 0  # nothing changes without the switch; the check says what would
    assert "would issue a new client secret: the escrowed secret is not Idura's current one" in text
    assert stale_escrow["plan_requests"] == {"find": 1}
    assert len(set(stale_escrow["healed"])) == 1
    assert stale_escrow["final_plan"] == 0


def test_a_failed_escrow_write_is_noticed_and_the_next_apply_converges(failed_escrow_write):
    code, output = failed_escrow_write["apply"]
    assert code == 1 and "AccessDeniedException" in output
    idura_now, escrowed, _ = failed_escrow_write["after"]
    assert idura_now != escrowed  # the escrow kept its old secret with its old id: a stale escrow, visible
    assert len(set(failed_escrow_write["converged"])) == 1
    assert failed_escrow_write["login"]["identityscheme"] == "dkmitid"
    assert failed_escrow_write["final_plan"] == 0
