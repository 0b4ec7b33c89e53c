"""The summary line and the loud lines, read from Terraform's own plan text (as `idura-cognito plan` prints it)."""

from __future__ import annotations

import textwrap

from idura_cognito.terraform.plan_summary import summarize

REPLACING = """
Terraform will perform the following actions:

  # aws_cognito_user_pool.user_pool must be replaced
-/+ resource "aws_cognito_user_pool" "user_pool" {
      ~ name = "acme-ops" -> "acme-ops-renamed" # forces replacement
    }

  # aws_cognito_user_pool_client.app_client must be replaced
-/+ resource "aws_cognito_user_pool_client" "app_client" {
    }

  # module.idura_cognito.aws_cognito_user_pool.user_pool[0] will be destroyed
  - resource "aws_cognito_user_pool" "user_pool" {
    }

Plan: 2 to add, 0 to change, 3 to destroy.
"""

MOVED_AND_PENDING = """
data.external.idura_application: Reading...

Terraform will perform the following actions:

  # aws_cognito_user_pool.user_pool has moved to module.idura_cognito.aws_cognito_user_pool.user_pool[0]
    resource "aws_cognito_user_pool" "user_pool" {
    }

Plan: 0 to add, 0 to change, 0 to destroy.

Warning: Check block assertion failed

  on cdk.tf.json line 12, in check.idura_changes.assert[0]:
  12:         "condition": "${data.external.idura_application.result.pending == \\"\\"}",

Idura changes are pending; only a run with IDURA_MANAGEMENT_ALLOW_CHANGES
makes them: would add redirect URL
https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse; would set
the user info strategy to plainJson

Saved the plan to: plan.tfplan
"""

NEW_STACK = """
  # aws_secretsmanager_secret.escrow will be created
  + resource "aws_secretsmanager_secret" "escrow" {
    }

  # data.external.idura_application will be read during apply
  # (config refers to values not yet known)
 <= data "external" "idura_application" {
    }

Plan: 1 to import, 6 to add, 0 to change, 0 to destroy.
"""


def test_a_replaced_or_destroyed_user_pool_is_said_loudly():
    summary = summarize(REPLACING)
    assert summary.line() == "2 to add, 0 to change, 3 to destroy"
    assert summary.warnings() == [
        "!! USER POOL REPLACED: aws_cognito_user_pool.user_pool would be replaced; every user in it and their "
        "logins are lost",
        "!! USER POOL DESTROYED: module.idura_cognito.aws_cognito_user_pool.user_pool[0] would be destroyed; every "
        "user in it and their logins are lost",
    ]
    assert not summary.idura_work


def test_moves_and_the_pending_idura_changes_of_the_check():
    summary = summarize(MOVED_AND_PENDING)
    assert summary.line() == "0 to add, 0 to change, 0 to destroy, 1 to move"
    assert summary.idura_pending == (
        "would add redirect URL https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse; would set the "
        "user info strategy to plainJson"
    )
    assert summary.idura_work and summary.lost_pools == []


def test_a_new_stack_creates_the_escrow_and_runs_the_program_during_the_apply():
    summary = summarize(NEW_STACK)
    assert summary.line() == "6 to add, 0 to change, 0 to destroy, 1 to import"
    assert summary.creates_escrow and summary.idura_deferred and summary.idura_work


def test_no_changes():
    summary = summarize("No changes. Your infrastructure matches the configuration.\n")
    assert summary.line() == "0 to add, 0 to change, 0 to destroy" and not summary.idura_work


def test_the_pending_changes_of_a_cdktf_stack_check():
    """A CDKTF stack's check names `idura-cognito deploy` instead of the switch (cdktf commands only read Idura)."""
    from idura_cognito.stacks.external_program import PENDING_CHECK

    message = PENDING_CHECK["assert"][0]["error_message"].replace(
        "${data.external.idura_application.result.pending}", "would create the application; would issue a secret"
    )
    output = "Warning: Check block assertion failed\n\n" + "\n".join(textwrap.wrap(message, 77)) + "\n\nDone\n"
    assert summarize(output).idura_pending == "would create the application; would issue a secret"
