"""Managed secret mode end to end, through the CDKTF stack: real terraform + AWS provider against moto and the
Idura emulator (the stand-in for hashicorp/external runs the real program).

One scenario, run once and recorded. A plain plan or apply never changes Idura (the emulator's request log
proves it) and says what an allowed run would change; the same paths converge in an allowed run (the switch
`idura-cognito deploy` sets for its apply): first apply, steady state, settings changed at Idura, escrow
deleted, application deleted, a saved plan, logins with Idura-shaped secrets (+, / and =), destroy. The stack
runs from a copy of its synthesized folder at another path (portable output: another machine, a Terraform Cloud
worker).
"""

from __future__ import annotations

import json
import shutil
import ssl
from dataclasses import dataclass
from pathlib import Path

import pytest

from idura_cognito.local.federated_login import LoginError, login
from tests.support.idura_admin import sha256
from tests.support.secrets import TEST_TOKEN, assert_not_shown, cognito_secrets, escrow_document
from tests.support.terraform import APPLY, DESTROY, PLAN, TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 115  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

REALM = "urn:idura:test:managed"
FOREIGN_URL = "https://another-team.example/callback"


@dataclass
class Secrets:
    """SHA-256 of the secret in each place (the secrets themselves stay inside this test)."""

    idura: str
    escrow: str
    escrow_id: str
    idura_id: str
    cognito: dict[str, str]

    def agree(self) -> bool:
        return (
            self.idura == self.escrow
            and set(self.cognito.values()) == {self.escrow}
            and (self.escrow_id == self.idura_id)
        )


PLAINTEXTS: list[str] = []  # every secret value seen, for the leak check


def _secrets(admin, boto, escrow_name: str, pool_id: str) -> Secrets:
    document = escrow_document(boto, escrow_name)
    PLAINTEXTS.append(document["client_secret"])
    held = {name: sha256(secret) for name, secret in cognito_secrets(boto, pool_id).items()}
    app = admin.application(REALM)
    return Secrets(
        app["secretSha256"],
        sha256(document["client_secret"]),
        document.get("idura_secret_id", ""),
        app["oauth2"]["clientSecretId"],
        held,
    )


@dataclass(frozen=True)
class Step:
    """One terraform command: its exit code, its output on one line and the management calls it made."""

    code: int
    output: str
    calls: dict[str, int]


def _step(run, admin) -> Step:
    """Run a terraform command and return its exit code, output and the management calls it made."""
    admin.clear_requests()
    code, output = run()
    return Step(code, " ".join(output.split()), dict(admin.routes()))


#: A login as Cognito performs it: Idura's claims, or the error Cognito would show.
Login = dict | LoginError


@dataclass(frozen=True)
class ManagedLifecycle:
    """The recorded scenario, in the order it ran."""

    # The synthesized folder, moved to another path.
    program: list[str]
    files_naming_the_old_place: list[str]
    workdir: Path
    # A new stack: plain plan and apply, then the allowed apply.
    plain_first_plan: Step
    plain_first_apply: Step
    pools_after_plain_apply: list[dict]
    state_after_plain_apply: str
    first_apply: Step
    outputs: dict
    apps_after_first_apply: list[dict]
    secrets_after_first_apply: Secrets
    escrow_document_keys: list[str]
    steady_plan: Step
    # Logins, and settings changed at Idura.
    login_idura: Login
    login_mitid: Login
    login_signed_jwt: Login
    plain_plan_with_drift: Step
    app_after_plain_plan: dict
    apply_fixing_drift: Step
    app_after_fix: dict
    login_after_fix: Login
    # The escrow deleted.
    plain_plan_escrow_deleted: Step
    apply_after_escrow_deleted: Step
    secrets_after_escrow_healed: Secrets
    # The application deleted at Idura.
    plain_plan_app_deleted: Step
    apply_after_app_deleted: Step
    app_recreated: list[dict]
    old_app_id: str
    secrets_after_app_recreated: Secrets
    # A saved plan, then destroy.
    saved_plan: Step
    saved_apply: Step
    secrets_after_saved_plan: Secrets
    final_plan: Step
    destroy: int
    transcript: str


@pytest.fixture(scope="module")
def managed(synthesized, cli_config, boto, idura, idura_admin) -> ManagedLifecycle:
    _, outdir = synthesized
    # Portable output: the synthesized folder, copied to another path, runs there (its local state path is
    # relative, so the copy sits at the same depth and finds its state where the config put it).
    synthesized_stack = outdir / "stacks" / "managed"
    document = json.loads((synthesized_stack / "cdk.tf.json").read_text())
    program = document["data"]["external"]["idura_application"]["program"]
    moved = outdir.parent / "another-machine" / "stacks" / "managed"
    shutil.copytree(synthesized_stack, moved)
    files_naming_the_old_place = [
        str(path.relative_to(moved))
        for path in moved.rglob("*")
        if path.is_file() and str(outdir).encode() in path.read_bytes()
    ]
    tf = TerraformDir.at(moved, cli_config, idura.environment())
    allowed = tf.allowed()
    tf.init()

    def plan(runner: TerraformDir = tf, *extra: str):
        return lambda: runner.attempt(*PLAN, *extra)

    def apply(runner: TerraformDir = tf, *extra: str):
        return lambda: runner.attempt(*APPLY, *extra)

    # A plain plan of a new stack: the program runs while planning (nothing defers it), finds nothing and says
    # what an allowed run would do.
    plain_first_plan = _step(plan(), idura_admin)
    # A plain apply: the same, and the apply stops at the precondition before anything is created.
    plain_first_apply = _step(apply(), idura_admin)
    pools_after_plain_apply = [
        p for p in boto("cognito-idp").list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "acme-managed"
    ]
    state_after_plain_apply = tf.run("state", "list", check=False).stdout
    # The run that may change Idura, as `idura-cognito deploy` makes it: a read-only review (one find), then a
    # run under a grant for what the review announced (the second find, and the changes).
    first_apply = _step(apply(allowed), idura_admin)
    outputs = tf.all_outputs()
    pool, escrow = outputs["user_pool_id"], outputs["escrow_secret_name"]
    apps_after_first_apply = idura_admin.applications(REALM)
    secrets_after_first_apply = _secrets(idura_admin, boto, escrow, pool)
    escrow_document_keys = sorted(escrow_document(boto, escrow))
    steady_plan = _step(plan(), idura_admin)

    # The login, exactly as Cognito performs it, from the IdP settings Cognito holds.
    cognito = boto("cognito-idp")
    redirect = outputs["idura_redirect_url"]
    verify = ssl.create_default_context(cafile=idura.ca_file)

    def cognito_login(name: str) -> Login:
        details = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)
        try:
            return login(details["IdentityProvider"]["ProviderDetails"], redirect, verify=verify)
        except LoginError as exc:
            return exc

    login_idura, login_mitid = cognito_login("Idura"), cognito_login("MitID")

    # Settings changed at Idura behind Terraform's back; another team added its own redirect URL.
    idura_admin.change(REALM, userInfoResponseStrategy="signedJwt")
    login_signed_jwt = cognito_login("Idura")
    idura_admin.change(REALM, codeFlow=False, returnUrls=[FOREIGN_URL])
    plain_plan_with_drift = _step(plan(), idura_admin)
    app_after_plain_plan = idura_admin.application(REALM)
    apply_fixing_drift = _step(apply(allowed), idura_admin)
    app_after_fix = idura_admin.application(REALM)
    login_after_fix = cognito_login("Idura")

    # Someone deletes the escrow: a plain plan changes nothing at Idura; the allowed apply rotates and heals.
    boto("secretsmanager").delete_secret(SecretId=escrow, ForceDeleteWithoutRecovery=True)
    plain_plan_escrow_deleted = _step(plan(), idura_admin)
    apply_after_escrow_deleted = _step(apply(allowed), idura_admin)
    secrets_after_escrow_healed = _secrets(idura_admin, boto, escrow, pool)

    # Someone deletes the application at Idura: plain plan says so; the allowed apply recreates and re-keys it.
    old_app_id = idura_admin.application(REALM)["id"]
    idura_admin.delete_application(REALM)
    plain_plan_app_deleted = _step(plan(), idura_admin)
    apply_after_app_deleted = _step(apply(allowed), idura_admin)
    app_recreated = idura_admin.applications(REALM)
    secrets_after_app_recreated = _secrets(idura_admin, boto, escrow, pool)

    # A saved plan (Terraform Cloud): a stale escrow is re-keyed while planning; applying the plan file does not
    # run the program again and stores exactly the secret issued during the plan.
    idura_admin.rotate_secret(REALM)
    saved_plan = _step(plan(allowed, "-out=saved.tfplan"), idura_admin)
    saved_apply = _step(apply(tf, "saved.tfplan"), idura_admin)
    (tf.workdir / "saved.tfplan").unlink()
    secrets_after_saved_plan = _secrets(idura_admin, boto, escrow, pool)
    final_plan = _step(plan(), idura_admin)

    destroy = tf.attempt(*DESTROY)[0]
    return ManagedLifecycle(
        program=program,
        files_naming_the_old_place=files_naming_the_old_place,
        workdir=moved,
        plain_first_plan=plain_first_plan,
        plain_first_apply=plain_first_apply,
        pools_after_plain_apply=pools_after_plain_apply,
        state_after_plain_apply=state_after_plain_apply,
        first_apply=first_apply,
        outputs=outputs,
        apps_after_first_apply=apps_after_first_apply,
        secrets_after_first_apply=secrets_after_first_apply,
        escrow_document_keys=escrow_document_keys,
        steady_plan=steady_plan,
        login_idura=login_idura,
        login_mitid=login_mitid,
        login_signed_jwt=login_signed_jwt,
        plain_plan_with_drift=plain_plan_with_drift,
        app_after_plain_plan=app_after_plain_plan,
        apply_fixing_drift=apply_fixing_drift,
        app_after_fix=app_after_fix,
        login_after_fix=login_after_fix,
        plain_plan_escrow_deleted=plain_plan_escrow_deleted,
        apply_after_escrow_deleted=apply_after_escrow_deleted,
        secrets_after_escrow_healed=secrets_after_escrow_healed,
        plain_plan_app_deleted=plain_plan_app_deleted,
        apply_after_app_deleted=apply_after_app_deleted,
        app_recreated=app_recreated,
        old_app_id=old_app_id,
        secrets_after_app_recreated=secrets_after_app_recreated,
        saved_plan=saved_plan,
        saved_apply=saved_apply,
        secrets_after_saved_plan=secrets_after_saved_plan,
        final_plan=final_plan,
        destroy=destroy,
        transcript=tf.text(),
    )


def test_a_synthesized_stack_folder_runs_after_a_move(managed):
    assert managed.program[:3] == ["python3", "-I", "-B"]
    assert managed.program[3].startswith("${path.module}/assets/idura_application_program/")
    assert managed.files_naming_the_old_place == []  # nothing points back to where it was synthesized
    assert "another-machine" in str(managed.workdir)
    assert managed.first_apply.calls == {"find": 2, "create": 1, "secret": 1}
    assert managed.secrets_after_first_apply.agree()
    assert managed.steady_plan.code == 0  # (a plan that succeeds has validated the configuration)


def test_a_plain_plan_of_a_new_stack_sends_nothing_to_idura(managed):
    step = managed.plain_first_plan
    # The program runs in this plan (a find) and sends nothing that changes Idura.
    assert step.code == 2 and step.calls == {"find": 1}
    assert "will be read during apply" not in step.output
    assert f"would create application {REALM}" in step.output


def test_a_plain_apply_only_reads_and_stops_with_what_an_allowed_run_would_do(managed):
    step = managed.plain_first_apply
    assert step.code == 1 and step.calls == {"find": 1}
    text = " ".join(step.output.split())
    assert (
        "No client secret for Cognito: changes at Idura are needed and in a CDKTF stack only `idura-cognito deploy` "
        f"makes them (would create application {REALM}" in text
    )
    assert "Run `idura-cognito deploy --stack managed`: it shows the plan, asks, then makes them." in text
    # Stopped before anything was created: no pool, no resource in the state (only the data sources it read).
    resources = [a for a in managed.state_after_plain_apply.split() if not a.startswith("data.")]
    assert managed.pools_after_plain_apply == [] and resources == []


def test_first_allowed_apply_creates_one_cognito_ready_application(managed):
    assert managed.first_apply.calls == {"find": 2, "create": 1, "secret": 1}
    (app,) = managed.apps_after_first_apply
    assert app["returnUrls"] == [managed.outputs["idura_redirect_url"]]
    assert app["oauth2"]["codeFlow"] is True
    assert app["oauth2"]["userInfoResponseStrategy"] == "plainJson"
    assert app["name"] == "Acme ${managed} %{test}"  # through CDKTF JSON and Terraform: still text
    assert managed.outputs["idura_application_id"] == app["id"]


def test_idura_escrow_and_every_cognito_provider_hold_one_secret_with_its_id(managed):
    secrets = managed.secrets_after_first_apply
    assert secrets.agree(), secrets
    assert set(secrets.cognito) == {"Idura", "MitID"}
    assert managed.escrow_document_keys == ["client_secret", "idura_secret_id"]  # one write, both together


def test_second_plan_has_no_changes_and_only_reads(managed):
    assert managed.steady_plan.code == 0
    assert managed.steady_plan.calls == {"find": 1}


def test_a_mapped_claim_mitid_does_not_send_leaves_its_attribute_empty_in_cognito(managed):
    from idura_cognito.local.federated_login import cognito_attributes

    stored = cognito_attributes({"username": "sub", "name": "name", "given_name": "given_name"}, managed.login_mitid)
    assert stored["name"] == "Test Testersen" and stored["username"].startswith("{")
    assert "given_name" not in stored  # MitID carries no given/family name: nothing is stored there


def test_login_as_cognito_does_with_an_idura_shaped_secret(managed):
    assert any({"+", "/", "="} <= set(s) for s in PLAINTEXTS)  # client_secret_post carried them intact
    for result in (managed.login_idura, managed.login_mitid):
        assert isinstance(result, dict), result
        assert result["identityscheme"] == "dkmitid" and result["name"] == "Test Testersen"
        assert result["sub"].startswith("{")


def test_drift_at_idura_is_reported_by_a_plain_plan_and_repaired_by_the_allowed_apply(managed):
    failure = managed.login_signed_jwt
    assert isinstance(failure, LoginError)
    assert "invalid token_type in idp oauth response" in str(failure)
    plain = managed.plain_plan_with_drift
    assert plain.code == 0 and plain.calls == {"find": 1}
    assert (
        f"would add redirect URL {managed.outputs['idura_redirect_url']}; would turn the OAuth2 code flow on; "
        "would set the user info strategy to plainJson" in plain.output
    )
    assert managed.app_after_plain_plan["oauth2"]["userInfoResponseStrategy"] == "signedJwt"  # untouched
    assert managed.apply_fixing_drift.calls == {"find": 2, "update": 1}
    fixed = managed.app_after_fix
    assert fixed["returnUrls"] == [FOREIGN_URL, managed.outputs["idura_redirect_url"]]  # theirs survives
    assert fixed["oauth2"]["codeFlow"] is True and fixed["oauth2"]["userInfoResponseStrategy"] == "plainJson"
    assert isinstance(managed.login_after_fix, dict)


def test_deleted_escrow_a_plain_plan_sends_nothing_the_allowed_apply_heals_by_rotation(managed):
    assert managed.plain_plan_escrow_deleted.calls == {"find": 1}
    assert managed.apply_after_escrow_deleted.calls == {"find": 2, "secret": 1}
    assert managed.secrets_after_escrow_healed.agree()
    assert managed.secrets_after_escrow_healed != managed.secrets_after_first_apply


def test_application_deleted_at_idura_is_reported_then_recreated(managed):
    plain = managed.plain_plan_app_deleted
    assert plain.calls == {"find": 1}
    assert f"would create application {REALM}" in plain.output
    assert managed.apply_after_app_deleted.calls == {"find": 2, "create": 1, "secret": 1}
    (app,) = managed.app_recreated
    assert app["id"] != managed.old_app_id
    assert managed.secrets_after_app_recreated.agree()


def test_a_saved_plan_applies_the_secret_issued_while_planning(managed):
    assert managed.saved_plan.calls == {"find": 2, "secret": 1}
    assert managed.saved_apply.calls == {}  # applying a plan file does not run the program again
    assert managed.saved_apply.code == 0
    assert managed.secrets_after_saved_plan.agree()
    assert managed.final_plan.code == 0 and managed.final_plan.calls == {"find": 1}


def test_destroy_and_no_secret_or_token_in_terraform_output(managed):
    assert managed.destroy == 0
    assert len(PLAINTEXTS) >= 3
    assert_not_shown(managed.transcript, TEST_TOKEN, *PLAINTEXTS)
