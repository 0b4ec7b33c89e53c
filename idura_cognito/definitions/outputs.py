"""The outputs, defined once: name, description and value expression.

Expressions refer only to ``local.*`` names; the module defines those locals from its variables and resources,
the CDKTF stack defines the same locals from the config. The module's outputs.tf, the rendered root's outputs.tf
and the CDKTF stack's outputs are all built from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    #: HCL expression laid out as `terraform fmt` lays it out at the indentation of an attribute value.
    value: str
    #: False: wiring between the module and its program submodule, not an output of the root.
    root: bool = True
    sensitive: bool = False
    #: (condition, error message) in HCL: the module's output checks it (a consumer never gets a value that fails).
    precondition: tuple[str, str] | None = None


OUTPUTS: tuple[Output, ...] = (
    Output("user_pool_id", "Id of the Cognito user pool.", "local.user_pool_id"),
    Output("app_client_id", "Id of the first app client with a login (0.3's one client).", "local.app_client_id"),
    Output(
        "app_clients",
        "Per client key: its id, name, identity providers, hosted login URLs and sign-out URL (null: none).",
        "local.app_clients_output",
    ),
    Output(
        "app_client_secrets",
        "Per client key with generate_secret: the app client's secret.",
        "local.app_client_secrets",
        sensitive=True,
    ),
    Output("idura_redirect_url", "Register this redirect URL on the Idura application.", "local.redirect_url"),
    Output(
        "issuer",
        "Issuer of the tokens Cognito gives your applications.",
        '"https://cognito-idp.${local.aws_region}.amazonaws.com/${local.user_pool_id}"',
    ),
    Output("idura_issuer", "Issuer Cognito trusts for Idura logins.", "local.idura_issuer"),
    Output(
        "domain_dns_records",
        "A custom domain's DNS records (A and AAAA aliases to Cognito's CloudFront distribution); empty otherwise.",
        "local.domain_dns_records",
    ),
    Output("escrow_secret_name", "Secrets Manager secret that escrows the client secret.", "local.escrow_name"),
    Output(
        "hosted_login_urls",
        "Per identity provider of the first client with a login: a hosted login URL that starts its login at once.",
        "local.hosted_login_urls",
    ),
    Output(
        "login_hint_urls",
        "Per acr of identity_provider.login_hint_eids: a hosted login URL through the picker, the eID chosen with "
        "login_hint.",
        "local.login_hint_urls",
    ),
    Output(
        "idura_application_id",
        "Managed mode: id of the application at Idura (null when hand-registered).",
        "local.idura_application_id",
    ),
    Output(
        "escrow",
        "For the idura-application submodule: whether the escrow exists and holds a secret, and its Idura secret "
        "id (never the secret).",
        "local.escrow_state",
        root=False,
    ),
    Output(
        "cognito_host",
        "For the idura-application submodule: the Cognito domain's host, the only host its redirect URLs may use.",
        "local.cognito_host",
        root=False,
        # Before anything is registered at Idura: an existing domain must be the existing pool's own.
        precondition=("local.domain_is_the_pools", "local.domain_is_the_pools_message"),
    ),
)

ROOT_OUTPUTS = tuple(o for o in OUTPUTS if o.root)
