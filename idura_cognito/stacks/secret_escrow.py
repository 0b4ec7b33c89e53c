"""The escrowed Idura client secret (AWS Secrets Manager): read on every plan, written in managed mode.

The escrow is one secret per (Idura domain, client id) whose name the config model derives. A plan looks it
up with ``ListSecrets``; that filter matches name *prefixes*, so the result is compared exactly before its
value is read. In hand-registered mode (only a person can fill the escrow) a missing escrow stops the plan
with ``missing_message``; in managed mode it is normal, and Terraform writes the escrow itself.
"""

from __future__ import annotations

import json

from cdktf import Fn, Postcondition, TerraformResourceLifecycle, Token
from constructs import Construct

# The tag on the escrow naming the Idura secret id it holds (an id, not the secret): a different current id at
# Idura means the escrow is stale and the external program issues a new secret.
from ..escrow import SECRET_ID_TAG
from .bindings import (
    DataAwsSecretsmanagerSecret,
    DataAwsSecretsmanagerSecrets,
    DataAwsSecretsmanagerSecretsFilter,
    DataAwsSecretsmanagerSecretVersion,
    SecretsmanagerSecret,
    SecretsmanagerSecretVersion,
)


class EscrowedSecret(Construct):
    """``exists`` (bool expression), ``value`` (sensitive; "" when absent), ``secret_id`` (managed mode)."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        missing_message: str | None = None,
        read_secret_id: bool = False,
    ) -> None:
        super().__init__(scope, id_)
        self.name = name
        lookup = DataAwsSecretsmanagerSecrets(
            self, "lookup", filter=[DataAwsSecretsmanagerSecretsFilter(name="name", values=[name])]
        )
        lookup.override_logical_id("escrow")
        self.exists = Fn.contains(lookup.names, name)
        if missing_message is not None:
            # `self` inside a postcondition is the data source's own result.
            lookup.lifecycle = TerraformResourceLifecycle(
                postcondition=[
                    Postcondition(
                        condition=f"${{contains(self.names, {json.dumps(name)})}}", error_message=missing_message
                    )
                ]
            )
        present = Token.as_number(Fn.conditional(self.exists, 1, 0))
        current = DataAwsSecretsmanagerSecretVersion(self, "current", secret_id=name, count=present)
        current.override_logical_id("escrow")
        # `data.x.*.secret_string` is the splat over the 0 or 1 instances of the counted data source.
        escrowed = Fn.one(current.interpolation_for_attribute("*.secret_string"))
        self.value: str = Token.as_string(Fn.sensitive(Fn.conditional(self.exists, escrowed, "")))
        self.secret_id: str = ""
        if read_secret_id:
            meta = DataAwsSecretsmanagerSecret(self, "meta", name=name, count=present)
            meta.override_logical_id("escrow")
            tags = Fn.one(meta.interpolation_for_attribute("*.tags"))
            self.secret_id = Token.as_string(Fn.try_([Fn.lookup(tags, SECRET_ID_TAG, ""), ""]))


class EscrowWriter(Construct):
    """Managed mode: Terraform owns the escrow and writes the secret in use (and its Idura id) into it.

    ``recovery_window_in_days = 0``: a destroyed escrow is gone at once, so a later apply can recreate the
    name (a managed secret can always be issued again; a scheduled deletion would block the name for days).
    """

    def __init__(
        self, scope: Construct, id_: str, *, name: str, description: str, secret: str, secret_id: str
    ) -> None:
        super().__init__(scope, id_)
        self.secret = SecretsmanagerSecret(
            self,
            "secret",
            name=name,
            description=description,
            recovery_window_in_days=0,
            tags={"managed-by": "idura-cognito", SECRET_ID_TAG: secret_id},
        )
        self.secret.override_logical_id("escrow")
        version = SecretsmanagerSecretVersion(self, "version", secret_id=self.secret.id, secret_string=secret)
        version.override_logical_id("escrow")
