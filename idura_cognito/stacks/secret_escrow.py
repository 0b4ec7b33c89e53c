"""Reading the escrowed Idura client secret (AWS Secrets Manager) on every plan.

The escrow is one secret per (Idura domain, client id) whose name the config model derives. A plan looks it
up with ``ListSecrets``; that filter matches name *prefixes*, so the result is compared exactly before its
value is read. With ``missing_message`` set (hand-registered applications, where only a person can fill the
escrow) a missing escrow stops the plan with that message; otherwise the value is "" and ``exists`` false.
"""

from __future__ import annotations

from cdktf import Fn, Postcondition, TerraformResourceLifecycle, Token
from constructs import Construct

from .bindings import (
    DataAwsSecretsmanagerSecrets,
    DataAwsSecretsmanagerSecretsFilter,
    DataAwsSecretsmanagerSecretVersion,
)


class EscrowedSecret(Construct):
    """``exists`` (bool expression) and ``value`` (sensitive string expression, "" when absent)."""

    def __init__(self, scope: Construct, id_: str, *, name: str, missing_message: str | None = None) -> None:
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
                        condition=f"${{contains(self.names, {_hcl_string(name)})}}",
                        error_message=missing_message,
                    )
                ]
            )
        current = DataAwsSecretsmanagerSecretVersion(
            self, "current", secret_id=name, count=Token.as_number(Fn.conditional(self.exists, 1, 0))
        )
        current.override_logical_id("escrow")
        # `data.x.*.secret_string` is the splat over the 0 or 1 instances of the counted data source.
        escrowed = Fn.one(current.interpolation_for_attribute("*.secret_string"))
        self.value: str = Token.as_string(Fn.sensitive(Fn.conditional(self.exists, escrowed, "")))


def _hcl_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
