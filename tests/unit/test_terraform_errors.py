"""Terraform's diagnostics, reduced to the one line the CLI shows."""

from idura_cognito.terraform.runner import last_error as _last_error

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


WRAPPED_PROGRAM_MESSAGE = """
Error: External Program Execution Failed

  with module.idura_application.data.external.idura_application,
  on modules/idura-cognito/modules/idura-application/main.tf line 13:
  13: data "external" "idura_application" {

The data source received an unexpected error while attempting to execute the
program.

Program: /usr/bin/python3
Error Message: idura_application: TLS verification failed for
https://idura.example/management/v1: set IDURA_CA_BUNDLE to the CA that signed
the server's certificate
State: exit status 1
"""

TWO_DIAGNOSTICS = """
Error: No valid credential sources found

  with provider["registry.terraform.io/hashicorp/aws"],
  on providers.tf line 1, in provider "aws":
   1: provider "aws" {

Please see https://registry.terraform.io/providers/hashicorp/aws
for more information about providing credentials.

Error: failed to refresh cached credentials, no EC2 IMDS role found,
operation error ec2imds: GetMetadata, request canceled, context deadline
exceeded
"""

INIT_FAILURE = """
Initializing provider plugins...
- Finding hashicorp/external versions matching "~> 2.3"...

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider
hashicorp/external: could not connect to registry.terraform.io: failed to
request discovery document: Get "https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup registry.terraform.io: no such host

To see which modules are currently depending on hashicorp/external and what
versions are specified, run the following command:
    terraform providers
"""


def test_a_wrapped_program_message_is_shown_whole():
    assert _last_error(WRAPPED_PROGRAM_MESSAGE) == (
        "External Program Execution Failed: idura_application: TLS verification failed for "
        "https://idura.example/management/v1: set IDURA_CA_BUNDLE to the CA that signed the server's certificate"
    )


def test_every_diagnostic_is_shown_with_its_wrapped_summary_joined():
    assert _last_error(TWO_DIAGNOSTICS).splitlines() == [
        "No valid credential sources found: Please see https://registry.terraform.io/providers/hashicorp/aws for "
        "more information about providing credentials.",
        "failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, "
        "request canceled, context deadline exceeded",
    ]


def test_init_shows_terraforms_error_not_its_hint_to_run_terraform_providers():
    shown = _last_error(INIT_FAILURE)
    assert shown.startswith("Failed to query available provider packages: Could not retrieve the list")
    assert "no such host" in shown
    assert "terraform providers" not in shown and "To see which modules" not in shown
