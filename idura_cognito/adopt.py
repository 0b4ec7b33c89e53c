"""Take over a login built by hand (Idura's Cognito guide): find what exists, check the config matches it.

Pure functions over injected boto3-style clients. ``discover`` reads the pool, its domain, the OIDC identity
providers that point at the stack's Idura domain and client id, and the app client offering them. ``mismatches``
lists the config values that must change first, because Terraform would otherwise replace something (a pool's
name or user name case sensitivity, a client's secret) and users would be lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config.model import StackConfig
from .hcl.values import string


class AdoptError(Exception):
    """What exists cannot be adopted as it is; the message says why and what to do."""


@dataclass
class Found:
    user_pool_id: str
    pool_name: str
    username_case_sensitive: bool
    required_attributes: list[str]
    domain: str | None
    #: Cognito IdP name -> provider details (the client secret included: never printed).
    identity_providers: dict[str, dict[str, str]] = field(default_factory=dict)
    app_client_id: str | None = None
    app_client: dict[str, Any] = field(default_factory=dict)

    @property
    def secret(self) -> str | None:
        secrets = {d.get("client_secret", "") for d in self.identity_providers.values()}
        return next(iter(secrets)) if len(secrets) == 1 and "" not in secrets else None


def discover(cognito: Any, stack: StackConfig, user_pool_id: str, app_client_name: str | None = None) -> Found:
    pool = cognito.describe_user_pool(UserPoolId=user_pool_id)["UserPool"]
    required = sorted(a["Name"] for a in pool.get("SchemaAttributes", []) if a.get("Required") and a["Name"] != "sub")
    case = pool.get("UsernameConfiguration", {}).get("CaseSensitive")
    found = Found(
        user_pool_id=user_pool_id,
        pool_name=pool["Name"],
        username_case_sensitive=True if case is None else bool(case),  # no setting: a pool made before 2020
        required_attributes=required,
        domain=pool.get("CustomDomain") or pool.get("Domain"),
    )
    providers = cognito.list_identity_providers(UserPoolId=user_pool_id, MaxResults=60)["Providers"]
    for provider in providers:
        if provider.get("ProviderType") != "OIDC":
            continue
        name = provider["ProviderName"]
        details = cognito.describe_identity_provider(UserPoolId=user_pool_id, ProviderName=name)["IdentityProvider"]
        settings = details.get("ProviderDetails", {})
        if (
            settings.get("oidc_issuer", "").rstrip("/") == stack.idura.issuer
            and settings.get("client_id") == stack.idura.client_id
        ):
            found.identity_providers[name] = settings
    clients = cognito.list_user_pool_clients(UserPoolId=user_pool_id, MaxResults=60)["UserPoolClients"]
    for summary in clients:
        client = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=summary["ClientId"])[
            "UserPoolClient"
        ]
        offers = set(client.get("SupportedIdentityProviders", [])) & set(found.identity_providers)
        if (app_client_name and client["ClientName"] == app_client_name) or (not app_client_name and offers):
            found.app_client_id, found.app_client = client["ClientId"], client
            break
    return found


def mismatches(stack: StackConfig, found: Found) -> list[str]:
    """Config values to change before adopting: as ``key = value`` lines with why."""
    if found.required_attributes:
        raise AdoptError(
            f"pool {found.user_pool_id} requires {', '.join(found.required_attributes)}: eID logins fail against "
            "it and required attributes can never change, so it cannot be adopted; make a new pool"
        )
    if not found.identity_providers:
        raise AdoptError(
            f"pool {found.user_pool_id} has no OIDC identity provider with issuer {stack.idura.issuer} and client id "
            f"{stack.idura.client_id}: check idura.domain and idura.client_id"
        )
    wrong = []
    if stack.user_pool.is_existing:
        raise AdoptError("user_pool.existing_id is set: an existing pool is not managed by Terraform, nothing to adopt")
    if stack.user_pool.name != found.pool_name:
        wrong.append(f"user_pool.name = {string(found.pool_name)}  # a new name would replace the pool")
    if stack.user_pool.username_case_sensitive != found.username_case_sensitive:
        value = "true" if found.username_case_sensitive else "false"
        wrong.append(f"user_pool.username_case_sensitive = {value}  # cannot change on an existing pool")
    if found.domain and stack.domain.cognito_domain != found.domain:
        key = "domain.custom" if "." in found.domain else "domain.prefix"
        wrong.append(f"{key} = {string(found.domain)}  # the pool's domain")
    names = set(stack.idp_names)
    for name in sorted(set(found.identity_providers) - names):
        wrong.append(f"identity_provider.name or a pinned_eids name = {string(name)}  # the provider built by hand")
    client = found.app_client
    if client:
        if bool(client.get("ClientSecret")) != stack.app_client.generate_secret:
            value = "true" if client.get("ClientSecret") else "false"
            wrong.append(f"app_client.generate_secret = {value}  # cannot change on an existing client")
        if client.get("ClientName") != stack.app_client.name:
            wrong.append(f"app_client.name = {string(client['ClientName'])}")
    return wrong


def adopt_table(stack: StackConfig, found: Found) -> str:
    """The ``[stacks.<env>.adopt]`` lines that make both renderings import what exists."""
    lines = [f"[stacks.{stack.name}.adopt]", f"user_pool_id = {string(found.user_pool_id)}"]
    if found.domain and stack.domain.kind != "existing":
        lines.append(f"domain = {string(found.domain)}")
    names = [n for n in stack.idp_names if n in found.identity_providers]
    lines.append(f"identity_providers = [{', '.join(string(n) for n in names)}]")
    if found.app_client_id:
        lines.append(f"app_client_id = {string(found.app_client_id)}")
    return "\n".join(lines) + "\n"
