"""A secret answer lost, then a stale escrow, then a failed escrow write, on one managed stack rendered as HCL:
each heals on the next allowed apply, and Idura, the escrow and Cognito end up with one secret that logs in.

One scenario, run once and recorded in order; real terraform against moto and the emulator.
"""

from __future__ import annotations

import pytest

from tests.support.managed_hcl import cognito_login, render, secrets_everywhere
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 60  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)


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
    idura_admin.wait_until_settled()  # the slow requests have completed at the emulator
    record["slow"] = {
        "secret_statuses": [r["status"] for r in idura_admin.requests() if r["route"] == "secret"],
        "everywhere": secrets_everywhere(tf, boto, idura_admin, realm),
        "login": cognito_login(tf, boto, idura),
    }

    # 2. Someone rotates the secret at Idura behind Terraform's back: the escrow's id is no longer current.
    idura_admin.rotate_secret(realm)
    idura_admin.clear_requests()
    record["stale_plan"] = tf.plan_code()
    record["stale_plan_requests"] = dict(idura_admin.routes())
    tf.allowed().apply()
    record["stale_healed"] = secrets_everywhere(tf, boto, idura_admin, realm)
    record["stale_final_plan"] = tf.plan_code()[0]

    # 3. The escrow write fails after Idura issued a new secret (a rotation is due again).
    idura_admin.rotate_secret(realm)
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
