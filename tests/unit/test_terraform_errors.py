"""Terraform's diagnostics, reduced to the one line the CLI shows."""

from idura_cognito.terraform import last_error as _last_error

EXTERNAL_FAILURE = """
Error: External Program Execution Failed

  with data.external.idura_application,
  on cdk.tf.json line 73, in data.external.idura_application:
  73:       "external": {

The data source received an unexpected error while attempting to execute the
program.

Program: /usr/bin/python3
Error Message: idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura management API base URL
State: exit status 1
"""

POSTCONDITION = """
Error: Resource postcondition failed

  on cdk.tf.json line 52, in data.aws_secretsmanager_secrets.escrow.lifecycle.postcondition[0]:
  52:               "condition": "${contains(self.names, \\"x\\")}",
    ├────────────────
    │ self.names is empty set of string

No Idura client secret is escrowed for stack 'demo' (Secrets Manager secret
'x'). Store it once with: idura-cognito secret put --stack demo
"""


def test_external_program_failure_shows_the_programs_message():
    assert _last_error(EXTERNAL_FAILURE) == (
        "External Program Execution Failed: idura_application: IDURA_MANAGEMENT_URL is not set: export the Idura "
        "management API base URL"
    )


def test_postcondition_shows_its_message_on_one_line():
    assert _last_error(POSTCONDITION) == (
        "Resource postcondition failed: No Idura client secret is escrowed for stack 'demo' (Secrets Manager "
        "secret 'x'). Store it once with: idura-cognito secret put --stack demo"
    )


def test_plain_output():
    assert _last_error("something odd\n") == "something odd"
