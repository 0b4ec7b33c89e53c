"""Where each resource lives in state, in both renderings, and how an existing one is imported.

The CDKTF stack puts resources at the root (``aws_cognito_user_pool.user_pool``, ``eid_mitid``); the rendered
HCL calls the module (``module.idura_cognito.aws_cognito_user_pool.user_pool[0]``, ``eid["MitID"]``). Each
rendering carries ``moved`` blocks from the other's addresses, so one state can be planned by either with zero
replacements (docs/migrating.md). ``adopt`` uses the import ids to take over resources built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.model import StackConfig
from ..hcl.values import string

MODULE = "module.idura_cognito"


@dataclass(frozen=True)
class Address:
    cdktf: str  # at the root of the CDKTF stack
    module: str  # inside the module call of the rendered HCL (without the module prefix)
    import_id: str | None = None  # Terraform import id, when the stack adopts an existing resource

    @property
    def hcl(self) -> str:
        return f"{MODULE}.{self.module}"


def resources(stack: StackConfig) -> list[Address]:
    """Every managed resource of the stack, with its import id when ``[stacks.<env>.adopt]`` names it."""
    adopt = stack.adopt
    pool = adopt.user_pool_id
    found = []
    if not stack.user_pool.is_existing:
        found.append(Address("aws_cognito_user_pool.user_pool", "aws_cognito_user_pool.user_pool[0]", pool))
    if stack.domain.kind != "existing":
        domain = adopt.domain if adopt.domain else None
        found.append(Address("aws_cognito_user_pool_domain.domain", "aws_cognito_user_pool_domain.domain[0]", domain))
    adopted = set(adopt.identity_providers)

    def idp_import(name: str) -> str | None:
        return f"{pool}:{name}" if pool and name in adopted else None

    name = stack.identity_provider.name
    found.append(
        Address("aws_cognito_identity_provider.idura", "aws_cognito_identity_provider.idura", idp_import(name))
    )
    for eid in stack.pinned_eids:
        found.append(
            Address(
                f"aws_cognito_identity_provider.{eid.terraform_name}",
                f"aws_cognito_identity_provider.eid[{string(eid.name)}]",  # the one HCL string encoder
                idp_import(eid.name),
            )
        )
    client = f"{pool}/{adopt.app_client_id}" if pool and adopt.app_client_id else None
    found.append(Address("aws_cognito_user_pool_client.app_client", "aws_cognito_user_pool_client.app_client", client))
    if stack.idura.managed:
        found.append(Address("aws_secretsmanager_secret.escrow", "aws_secretsmanager_secret.escrow[0]"))
        found.append(Address("aws_secretsmanager_secret_version.escrow", "aws_secretsmanager_secret_version.escrow[0]"))
    return found
