"""The escrowed Idura client secret (AWS Secrets Manager): read on every plan, written in managed mode.

One secret per (Idura domain, client id). Its value is one JSON document ``{"client_secret", "idura_secret_id"}``:
the secret and Idura's id of it are written and read together (a plain string, from before 0.2, reads as the
secret with an unknown id). A plan looks the escrow up with ``ListSecrets``, whose name filter matches
*prefixes*, so the result is compared exactly before its value is read. In hand-registered mode (only a person
can fill the escrow) a missing escrow stops the plan with ``missing_message``; in managed mode Terraform writes
the escrow itself. The expressions are the module's (modules/idura-cognito/secret_escrow.tf), as locals.
"""

from __future__ import annotations

import json

from ..definitions.addresses import ESCROW_RESOURCE, ESCROW_SECRET, ESCROW_VERSION
from .bindings import (
    DataAwsSecretsmanagerSecrets,
    DataAwsSecretsmanagerSecretsFilter,
    DataAwsSecretsmanagerSecretVersion,
    DataAwsSecretsmanagerSecretVersions,
    SecretsmanagerSecret,
    SecretsmanagerSecretVersion,
)
from .cdk import Postcondition, TerraformResourceLifecycle, TerraformStack, Token


def add_escrow_lookup(stack: TerraformStack, *, name: str, missing_message: str | None = None) -> None:
    """The lookup, the version list and the current version: three data sources named ``ESCROW_RESOURCE``; the values
    are the locals above. Construct ids are unique per scope, so all but the lookup get another id and their
    Terraform name set."""
    lookup = DataAwsSecretsmanagerSecrets(
        stack, ESCROW_RESOURCE, filter=[DataAwsSecretsmanagerSecretsFilter(name="name", values=[name])]
    )
    if missing_message is not None:
        # `self` inside a postcondition is the data source's own result.
        lookup.lifecycle = TerraformResourceLifecycle(
            postcondition=[
                Postcondition(condition=f"${{contains(self.names, {json.dumps(name)})}}", error_message=missing_message)
            ]
        )
    # An escrow can exist without a value (a run stopped between creating and writing it).
    versions = DataAwsSecretsmanagerSecretVersions(
        stack, f"{ESCROW_RESOURCE}_versions", secret_id=name, count=Token.as_number("${local.escrow_exists ? 1 : 0}")
    )
    versions.override_logical_id(ESCROW_RESOURCE)
    current = DataAwsSecretsmanagerSecretVersion(
        stack, f"{ESCROW_RESOURCE}_current", secret_id=name, count=Token.as_number("${local.escrow_has_value ? 1 : 0}")
    )
    current.override_logical_id(ESCROW_RESOURCE)


def add_escrow_writer(
    stack: TerraformStack, *, name: str, description: str, kms_key_id: str | None, tags: dict[str, str]
) -> None:
    """Managed mode: Terraform owns the escrow (``ESCROW_SECRET``) and writes the secret in use, with its Idura
    id, as one value (``ESCROW_VERSION``).

    ``recovery_window_in_days = 0``: a destroyed escrow is gone at once, so a later apply can recreate the
    name (a managed secret can always be issued again; a scheduled deletion would block the name for days).
    """
    secret = SecretsmanagerSecret(
        stack,
        f"{ESCROW_RESOURCE}_secret",
        name=name,
        description=description,
        kms_key_id=kms_key_id,
        recovery_window_in_days=0,
        tags=tags,
    )
    secret.override_logical_id(ESCROW_SECRET.name)
    version = SecretsmanagerSecretVersion(
        stack,
        f"{ESCROW_RESOURCE}_version",
        secret_id=ESCROW_SECRET.ref("id"),
        secret_string=(
            "${sensitive(jsonencode({client_secret = local.client_secret, "
            "idura_secret_id = data.external.idura_application.result.secret_id}))}"
        ),
    )
    version.override_logical_id(ESCROW_VERSION.name)
