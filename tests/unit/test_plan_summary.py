"""The summary line, the loud lines and Idura's work, read from `terraform show -json` of a saved plan (the
format of Terraform's JSON output, https://developer.hashicorp.com/terraform/internals/json-format), never
from Terraform's human text. The integration tests read real plans the same way."""

from __future__ import annotations

import json

from idura_cognito.terraform.plan_summary import summarize

PROGRAM = "data.external.idura_application"


def _change(address: str, *actions: str, mode: str = "managed", previous_address: str = "", **more) -> dict:
    kind = address.split(".")[-2] if mode == "managed" else "external"
    change = {"address": address, "mode": mode, "type": kind, "change": {"actions": list(actions), **more}}
    return change | ({"previous_address": previous_address} if previous_address else {})


def _plan(*changes: dict, program: dict | None = None, module: str = "") -> dict:
    resources = []
    if program is not None:
        address = f"{module}.{PROGRAM}" if module else PROGRAM
        resources.append({"address": address, "mode": "data", "values": {"result": program}})
    root = {"resources": resources} if not module else {"child_modules": [{"resources": resources}]}
    return {"resource_changes": list(changes), "prior_state": {"values": {"root_module": root}}}


def _result(pending: str, intent: list[list[str]]) -> dict:
    return {"pending": pending, "intent": json.dumps(intent), "inputs_digest": "d" * 64, "client_secret": ""}


def test_every_replaced_or_destroyed_login_resource_is_said_loudly():
    summary = summarize(
        _plan(
            _change("aws_cognito_user_pool.user_pool", "delete", "create"),
            _change("aws_cognito_user_pool_client.app_client", "create", "delete"),
            _change("module.idura_cognito.aws_cognito_user_pool_domain.domain[0]", "delete", "create"),
            _change('module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]', "delete"),
            _change("aws_secretsmanager_secret_version.escrow", "delete", "create"),  # not a login resource
        )
    )
    assert summary.line() == "4 to add, 0 to change, 5 to destroy"
    lines = summary.warnings()
    assert lines[0] == (
        "!! REPLACED: aws_cognito_user_pool.user_pool would be replaced; the user pool: every user in it and their "
        "logins are lost"
    )
    assert [r.address for r in summary.replacements] == [
        "aws_cognito_user_pool.user_pool",
        "aws_cognito_user_pool_client.app_client",
        "module.idura_cognito.aws_cognito_user_pool_domain.domain[0]",
        'module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]',
    ]
    assert "would be destroyed; an identity provider" in lines[3]
    assert summary.lost_pools == [("aws_cognito_user_pool.user_pool", "replaced")]


def test_moves_imports_and_pending_idura_work_of_a_module_root():
    pending = "would add redirect URL https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    summary = summarize(
        _plan(
            _change(
                "module.idura_cognito.aws_cognito_user_pool.user_pool[0]",
                "no-op",
                previous_address="aws_cognito_user_pool.user_pool",
            ),
            _change("aws_cognito_user_pool_client.app_client", "no-op", importing={"id": "pool/client"}),
            program=_result(pending, [["add_return_url", pending.split()[-1]]]),
            module="module.idura_application",
        )
    )
    assert summary.line() == "0 to add, 0 to change, 0 to destroy, 1 to import, 1 to move"
    assert summary.idura_pending == pending
    assert summary.idura.intent == (("add_return_url", pending.split()[-1]),)
    assert summary.idura.inputs_digest == "d" * 64
    assert summary.idura_work and summary.replacements == []


def test_a_config_value_that_reads_like_terraform_s_text_changes_nothing_in_the_summary():
    """The spoof of the security review: scopes that spell Idura's pending marker are values in the plan, never
    fields of it."""
    spoof = ["openid", "Idura", "changes", "are", "pending;", "only"]
    plan = _plan(
        _change(
            "aws_cognito_identity_provider.idura", "update", before={"provider_details": {}}, after={"scopes": spoof}
        ),
        program=_result("would add redirect URL https://x/oauth2/idpresponse", [["add_return_url", "https://x"]]),
    )
    plan["output_changes"] = {"scopes": {"after": " ".join(spoof) + " makes them: nothing"}}
    summary = summarize(plan)
    assert summary.idura_pending == "would add redirect URL https://x/oauth2/idpresponse"
    assert summary.idura.intent == (("add_return_url", "https://x"),)


def test_a_new_stack_creates_the_escrow():
    summary = summarize(
        _plan(
            _change("aws_secretsmanager_secret.escrow", "create"),
            _change("aws_cognito_user_pool.user_pool", "create"),
            program=_result("would create application x", [["create_application", "x"], ["issue_secret", ""]]),
        )
    )
    assert summary.creates_escrow and summary.idura_work
    assert summary.created == {"aws_secretsmanager_secret.escrow", "aws_cognito_user_pool.user_pool"}


def test_a_program_read_only_during_the_apply_is_deferred_and_not_reviewable():
    summary = summarize(_plan(_change(PROGRAM, "read", mode="data")))
    assert summary.idura_deferred and summary.idura_work and summary.idura is None
    assert summary.warnings() == [
        "Idura: the program's inputs are known only during the apply, so its changes cannot be shown"
    ]


def test_no_changes():
    summary = summarize(_plan(program=_result("", [])))
    assert summary.line() == "0 to add, 0 to change, 0 to destroy"
    assert not summary.idura_work and summary.warnings() == []


def test_an_answer_without_an_intent_grants_nothing_it_cannot_name():
    """A program of an older release says what it would change only in words: deploy shows that and grants a
    change named 'unknown', which the current program never matches."""
    summary = summarize(_plan(program={"pending": "would create application x"}))
    assert summary.idura.intent == (("unknown", "the program did not say what it would change"),)
