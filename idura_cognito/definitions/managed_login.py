"""Managed login (version 2) needs a branding style per app client, or Cognito shows no pages.

Cognito's developer guide: with managed login, "you must create a style" for each app client (managed login
branding; ``CreateManagedLoginBranding`` with ``UseCognitoProvidedValues`` gives Cognito's default look). The AWS
provider has ``aws_cognito_managed_login_branding`` from 6.0 on; the 5.100 bindings of CDKTF and the module's
provider 5 do not. So: CDK Terrain (provider 6) creates Cognito's default style for every client with a login;
CDKTF and the rendered HCL refuse version 2 for a domain they create, naming the reason and the ways out. A
domain taken over by ``adopt`` keeps its version: its styles were made in the console and stay there (the doctor
checks each client has one).
"""

from __future__ import annotations

from ..config.model import StackConfig

#: The Terraform name of a client's style: ``managed_login_branding_<client resource name>``.
PREFIX = "managed_login_branding_"


def needs_styles(stack: StackConfig) -> bool:
    """Version 2 on a domain the stack creates (an adopted domain's styles are the console's)."""
    domain = stack.domain
    return domain.kind != "existing" and domain.managed_login_version == 2 and not stack.adopt.domain


def login_clients(stack: StackConfig):
    """The clients a person logs in to through the managed pages (those with callback URLs)."""
    return tuple(c for c in stack.app_clients if c.callback_urls)


def refusal(stack: StackConfig, rendering: str) -> tuple[str, str]:
    """(key, message) for a rendering without the branding resource (``rendering``: "CDKTF", "the rendered
    HCL"): one line with the reason and the ways out."""
    return f"stacks.{stack.name}.domain.managed_login_version", (
        f"2 shows Cognito's managed login pages only with a "
        f"branding style per app client, and {rendering} runs the AWS provider 5, which has no "
        "aws_cognito_managed_login_branding (provider 6 has it). Use managed_login_version = 1 (the classic hosted "
        "UI), or CDK Terrain (pip install 'idura-cognito[cdk-terrain]': AWS provider 6, Cognito's default style "
        "per client)"
    )
