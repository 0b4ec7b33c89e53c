"""The operator's commands end to end, as a user runs them in their project folder: plan (read-only, with a
summary and Terraform's exit codes), deploy (shows the plan, refuses without a terminal unless --auto-approve,
streams Terraform's output), secret status/rotate, doctor, destroy --purge-idura; against moto and the emulator.

Every output, log and the state are searched for the secrets and the management token: no command prints one.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import tomllib

import pytest

from idura_cognito.escrow import digest
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.idura_admin import sha256
from tests.support.secrets import TEST_TOKEN, assert_not_shown, escrow_document
from tests.support.secrets import cognito_secret as cognito_secret_of

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 85  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

REALM = "urn:idura:test:ops"
STACK = "ops"


#: Scopes that spell the marker 0.3's plan summary looked for in Terraform's text: printed in the plan before the
#: program's own line, they hid it, and deploy applied a read-only plan while Idura lacked the redirect URL.
SPOOF_SCOPES = ["openid", "Idura", "changes", "are", "pending;", "only"]


@pytest.fixture(scope="module")
def session(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("operator")
    config = one_stack_config(idura.domain, STACK, identity_provider={"scopes": SPOOF_SCOPES})
    path = write_config(root / "idura-cognito.toml", config)
    base_env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}
    outputs: list[str] = []
    r: dict = {"root": root}

    def cli(*args: str, input: str | None = None, config=path, env: dict | None = None):
        result = run_cli(*args, "--config", str(config), input=input, env=base_env | (env or {}), cwd=root)
        outputs.extend([result.stdout, result.stderr])
        return result

    secrets, cognito = boto("secretsmanager"), boto("cognito-idp")

    def pool_id():
        pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
        return next((p["Id"] for p in pools if p["Name"] == "acme-ops"), None)

    def escrowed():
        return escrow_document(boto, r["escrow"])

    def cognito_secret():
        return cognito_secret_of(boto, pool_id())

    from idura_cognito.config import load_config

    r["escrow"] = load_config(path).stack(STACK).escrow_name
    r["status_before"] = cli("secret", "status", "--stack", STACK)
    idura_admin.clear_requests()
    r["plan"] = cli("plan", "--stack", STACK)
    r["plan_exitcode"] = cli("plan", "--stack", STACK, "--detailed-exitcode")
    r["plan_calls"] = idura_admin.mutating()
    # A CI job that exports the switch for its deploy step: plan and deploy's review plan stay reads.
    switch = {"IDURA_MANAGEMENT_ALLOW_CHANGES": "true"}
    r["plan_with_switch"] = cli("plan", "--stack", STACK, env=switch)
    r["deploy_no_tty"] = cli("deploy", "--stack", STACK, env=switch)  # reviews, then refuses without a terminal
    r["calls_with_switch"] = idura_admin.mutating()
    r["pool_after_refusal"] = pool_id()
    # A CI plan job that inherited a deploy job's environment runs plain `terraform plan` in the synthesized stack:
    # the switch and the variable 0.3 used to mark deploy's run, together; the program there only reads.
    exported = base_env | switch | {"IDURA_COGNITO_DEPLOY_RUN": "1"}
    stack_dir = root / "cdktf.out" / "stacks" / STACK
    r["plain_terraform_plan"] = subprocess.run(
        ["terraform", "plan", "-input=false", "-no-color"],
        cwd=stack_dir,
        capture_output=True,
        text=True,
        env=os.environ | exported,
        timeout=600,
    )
    r["calls_after_plain_plan"] = idura_admin.mutating()
    # Between the review and the allowed plan the stack's file changes (a `git pull`, a concurrent synth): the
    # review plan's find is held 4 s while the synthesized file's client id is edited.
    r["edited_between_plans"] = _deploy_while_the_file_changes(cli, stack_dir / "cdk.tf.json", idura_admin)
    r["apps_after_edit"] = idura_admin.applications(REALM) + idura_admin.applications(REALM + ":unreviewed")
    r["calls_after_edit"] = idura_admin.mutating()
    r["deploy"] = cli("deploy", "--stack", STACK, "--auto-approve")
    assert r["deploy"].returncode == 0, r["deploy"].stderr[-3000:]
    r["first"] = escrowed()
    r["steady_plan"] = cli("plan", "--stack", STACK, "--detailed-exitcode")
    r["status_after"] = cli("secret", "status", "--stack", STACK)
    r["rotate"] = cli("secret", "rotate", "--stack", STACK)
    r["rotated"] = escrowed()
    r["idura_after_rotate"] = idura_admin.application(REALM)
    r["cognito_after_rotate"] = cognito_secret()
    idura_admin.clear_requests()
    r["redeploy"] = cli("deploy", "--stack", STACK, "--auto-approve", "--quiet")
    r["redeploy_calls"] = dict(idura_admin.routes())
    r["cognito_after_redeploy"] = cognito_secret()
    r["doctor"] = cli("doctor", "--stack", STACK)

    # A change that would replace the user pool: the plan says so loudly (and nothing is applied).
    document = tomllib.loads(path.read_text())
    document["stacks"][STACK]["user_pool"]["name"] = "acme-ops-renamed"
    renamed = write_config(root / "renamed.toml", document)
    r["replacing_plan"] = cli("plan", "--stack", STACK, config=renamed)

    r["destroy_without_purge_no_tty"] = cli("destroy", "--stack", STACK)  # what stays at Idura is said first
    r["destroy_no_tty"] = cli("destroy", "--stack", STACK, "--purge-idura")
    r["pool_after_destroy_refusal"] = pool_id()
    r["destroy"] = cli("destroy", "--stack", STACK, "--purge-idura", "--auto-approve")
    r["pool_after_destroy"] = pool_id()
    r["apps_after_destroy"] = idura_admin.applications(REALM)
    r["escrow_after_destroy"] = secrets.list_secrets(Filters=[{"Key": "name", "Values": [r["escrow"]]}])["SecretList"]
    r["outputs"] = "\n".join(outputs)
    logs = [idura.server.log.read_text(), idura_admin.http.get("/_emulator/requests").text]
    r["logs"] = "\n".join(logs + [p.read_text(errors="replace") for p in moto_logs(idura)])
    r["state"] = (root / f"terraform.{STACK}.tfstate").read_text()
    return r


def _deploy_while_the_file_changes(cli, stack_file, idura_admin):
    """`deploy --auto-approve`, with the synthesized file's client id changed while its review plan runs."""
    idura_admin.clear_requests()
    idura_admin.add_fault(route="find", times=1, delay=4)
    edit = threading.Thread(target=_edit_once_the_review_reads, args=(stack_file, idura_admin))
    edit.start()
    try:
        return cli("deploy", "--stack", STACK, "--auto-approve")
    finally:
        edit.join()
        idura_admin.clear_faults()


def _edit_once_the_review_reads(stack_file, idura_admin, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(r["route"] == "find" for r in idura_admin.requests()):  # the review plan's program is held
        assert time.monotonic() < deadline, "the review plan never reached Idura"
        time.sleep(0.05)
    document = json.loads(stack_file.read_text())
    query = document["data"]["external"]["idura_application"]["query"]
    query["client_id"] = REALM + ":unreviewed"
    stack_file.write_text(json.dumps(document, indent=2))


def moto_logs(idura):
    return list(idura.server.log.parent.parent.glob("logs/*.log"))


def test_secret_status_before_and_after_deploy(session):
    before = session["status_before"]
    assert before.returncode == 1
    assert before.stdout.endswith(": missing (apply the stack)\n")
    after = session["status_after"]
    assert after.returncode == 0
    first = session["first"]
    assert "present, last changed 20" in after.stdout and f"digest {digest(first['client_secret'])}" in after.stdout
    assert f"Idura secret id {first['idura_secret_id']}" in after.stdout


def test_plan_prints_terraform_s_plan_and_one_summary_line_and_changes_nothing(session):
    plan = session["plan"]
    assert plan.returncode == 0, plan.stderr
    assert "Terraform will perform the following actions:" in plan.stdout  # Terraform's own text, streamed
    assert "client_secret" in plan.stdout and "(sensitive value)" in plan.stdout
    assert "Summary: 6 to add, 0 to change, 0 to destroy" in plan.stderr
    assert "Idura: an allowed run would change: would create application" in plan.stderr
    assert session["plan_exitcode"].returncode == 2  # as terraform plan -detailed-exitcode
    assert session["plan_calls"] == []  # nothing sent that could change Idura


def test_every_plan_the_product_shows_is_a_read_even_with_the_switch_in_the_environment(session):
    """IDURA_MANAGEMENT_ALLOW_CHANGES=true in the caller's environment (exported for a CI deploy step): `plan` and
    deploy's review plan remove it from Terraform's environment; Idura receives no create, update or secret."""
    assert session["plan_with_switch"].returncode == 0
    assert "Idura: an allowed run would change: would create application" in session["plan_with_switch"].stderr
    assert session["deploy_no_tty"].returncode == 2
    assert session["calls_with_switch"] == []


def test_no_environment_variable_lets_a_plain_terraform_plan_of_the_stack_change_idura(session):
    plan = session["plain_terraform_plan"]
    assert plan.returncode == 0, plan.stderr[-2000:]
    assert "Idura changes are pending" in plan.stdout  # the program ran, read and reported
    assert session["calls_after_plain_plan"] == []


def test_what_changes_at_idura_is_what_was_reviewed_even_when_the_file_changes_between_the_plans(session):
    """The allowed plan ran the program against the edited file: other inputs than the reviewed ones, so it sent
    nothing to Idura. No application `...:unreviewed` with a live secret exists, and deploy says why."""
    edited = session["edited_between_plans"]
    assert edited.returncode == 1
    assert "this run's inputs differ from those of the reviewed plan" in edited.stderr
    assert session["apps_after_edit"] == [] and session["calls_after_edit"] == []


def test_a_config_value_that_spells_the_pending_marker_does_not_hide_what_idura_needs(session):
    """The scopes spell the text 0.3's summary read: the review still names the work at Idura and deploy makes
    it (on 0.3 it applied a read-only plan, and a first deploy stopped at the precondition)."""
    deploy = session["deploy"]
    assert "Idura: an allowed run would change: would create application" in deploy.stderr
    assert "planning again, the program allowed exactly the Idura changes reviewed above" in deploy.stderr
    assert session["first"]["idura_secret_id"]


def test_deploy_without_a_terminal_and_without_auto_approve_refuses(session):
    refused = session["deploy_no_tty"]
    assert refused.returncode == 2
    assert "deploy asks before changing anything: run it on a terminal, or pass --auto-approve" in refused.stderr
    assert "Summary: 6 to add" in refused.stderr  # the plan was shown first
    assert session["pool_after_refusal"] is None


def test_deploy_streams_terraform_s_output_and_makes_the_idura_changes(session):
    deploy = session["deploy"]
    assert "Apply complete! Resources: 6 added, 0 changed, 0 destroyed." in deploy.stdout
    assert "planning again, the program allowed exactly the Idura changes reviewed above" in deploy.stderr
    assert session["first"]["idura_secret_id"]
    steady = session["steady_plan"]
    assert steady.returncode == 0 and "Summary: 0 to add, 0 to change, 0 to destroy" in steady.stderr


def test_rotate_issues_a_new_secret_into_the_escrow_and_says_what_happens_next(session):
    rotate = session["rotate"]
    assert rotate.returncode == 0, rotate.stderr
    assert (
        f"next: `idura-cognito deploy --stack {STACK}` carries it to Cognito; logins through Idura fail until then"
    ) in rotate.stderr
    rotated, app = session["rotated"], session["idura_after_rotate"]
    assert rotated["client_secret"] != session["first"]["client_secret"]
    assert app["secretSha256"] == sha256(rotated["client_secret"])
    assert rotated["idura_secret_id"] == app["oauth2"]["clientSecretId"]  # written together, in one write
    assert session["cognito_after_rotate"] == session["first"]["client_secret"]  # Cognito changes with the deploy


def test_next_deploy_carries_the_rotated_secret_without_rotating_again(session):
    assert session["redeploy"].returncode == 0, session["redeploy"].stderr
    assert session["cognito_after_redeploy"] == session["rotated"]["client_secret"]
    assert session["redeploy_calls"] == {"find": 1}  # the escrow's secret id is current: nothing issued
    assert session["doctor"].returncode == 0, session["doctor"].stdout


def test_a_plan_that_would_replace_the_user_pool_says_so_loudly(session):
    plan = session["replacing_plan"]
    assert plan.returncode == 0
    assert (
        "!! REPLACED: aws_cognito_user_pool.user_pool would be replaced; the user pool: every user in it and "
        "their logins are lost" in plan.stderr
    )
    for address in ("aws_cognito_user_pool_domain.domain", "aws_cognito_user_pool_client.app_client"):
        assert f"!! REPLACED: {address} would be replaced" in plan.stderr
    assert "then plan again" not in plan.stderr  # what a replacement recreates is no orphan
    assert "Summary: 4 to add, 0 to change, 4 to destroy" in plan.stderr  # the pool and all that lives in it


def test_destroy_says_what_happens_at_idura_before_it_asks(session):
    kept = session["destroy_without_purge_no_tty"]
    assert kept.returncode == 2
    assert (
        f"Idura: the application {REALM} on " in kept.stderr
        and "stays, with its live client secret and the redirect URL https://acme-ops.auth.eu-north-1.amazoncognito."
        "com/oauth2/idpresponse, which will lead nowhere once the domain is gone. Remove it with `idura-cognito "
        f"destroy --stack {STACK} --purge-idura` (or in Idura's dashboard)."
        in kept.stderr
    )
    purged = session["destroy"]
    assert f"Idura: --purge-idura deletes the application {REALM} on " in purged.stderr
    assert f"deleting the Idura application {REALM} on " in purged.stderr
    assert "deleting the escrow idura-cognito/" in purged.stderr


def test_destroy_asks_first_then_purges_everything(session):
    refused = session["destroy_no_tty"]
    assert refused.returncode == 2 and "destroy asks before changing anything" in refused.stderr
    assert session["pool_after_destroy_refusal"] is not None  # nothing was destroyed
    assert session["destroy"].returncode == 0, session["destroy"].stderr
    assert session["pool_after_destroy"] is None
    assert session["apps_after_destroy"] == []
    assert session["escrow_after_destroy"] == []


def test_no_command_and_no_log_holds_a_secret_or_the_token(session):
    secrets = (session["first"]["client_secret"], session["rotated"]["client_secret"])
    assert_not_shown(session["outputs"], *secrets, TEST_TOKEN)
    assert_not_shown(session["logs"], *secrets, TEST_TOKEN)
    assert TEST_TOKEN not in session["state"]  # the token is never in state (the secret is: protect it)
