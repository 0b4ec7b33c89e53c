"""The Cognito app clients that applications use (one per ``[app_clients.<key>]``), and the resource servers
their ``server/scope`` scopes name."""

from __future__ import annotations

from urllib.parse import quote

from ..config.fields import COGNITO_TOKEN_UNITS
from ..config.model import AppClientSettings, StackConfig
from ..definitions import naming, sign_out
from ..definitions.addresses import app_client, resource_server
from ..encoding import template_value as literal
from .bindings import (
    CognitoResourceServer,
    CognitoResourceServerScope,
    CognitoUserPoolClient,
    CognitoUserPoolClientTokenValidityUnits,
)
from .cdk import TerraformStack


def add_resource_servers(stack: TerraformStack, *, config: StackConfig, user_pool_id: str) -> list[str]:
    """One resource server per identifier a client's ``server/scope`` names (not one managed elsewhere), with
    those scopes; returns the references the clients depend on."""
    refs = []
    for identifier, scopes in config.resource_servers.items():
        name = naming.resource_server_resource(identifier)
        CognitoResourceServer(
            stack,
            name,
            user_pool_id=user_pool_id,
            identifier=literal(identifier),
            name=literal(naming.resource_server_name(identifier)),
            scope=[
                CognitoResourceServerScope(scope_name=literal(s), scope_description=literal(f"Scope {s}"))
                for s in scopes
            ],
        )
        refs.append(f"{resource_server(name).address}")
    return refs


def add_app_clients(
    stack: TerraformStack,
    *,
    config: StackConfig,
    user_pool_id: str,
    providers: dict[str, str],
    resource_servers: list[str],
) -> dict[str, CognitoUserPoolClient]:
    """Every app client (``client.terraform_name``); returns them by key.

    ``providers`` maps each identity provider's name to a reference to its resource's ``provider_name``
    (``${aws_cognito_identity_provider.<name>.provider_name}``), so that Terraform creates the providers first
    ("The provider X does not exist for User Pool" otherwise); the resource servers likewise come first.
    """
    return {
        client.key: _add_client(stack, config, client, user_pool_id, providers, resource_servers)
        for client in config.app_clients
    }


def _add_client(
    stack: TerraformStack,
    config: StackConfig,
    settings: AppClientSettings,
    user_pool_id: str,
    providers: dict[str, str],
    resource_servers: list[str],
) -> CognitoUserPoolClient:
    offered = [name if name == "COGNITO" else providers[name] for name in config.offered_providers(settings)]
    resource = CognitoUserPoolClient(
        stack,
        settings.terraform_name,
        name=settings.name,  # letters, digits, spaces and _+=,.@- only: no template characters
        user_pool_id=user_pool_id,
        # Only when true: an imported client reads back no value, and false would force its replacement.
        generate_secret=settings.generate_secret or None,
        allowed_oauth_flows_user_pool_client=True,
        allowed_oauth_flows=literal(list(settings.oauth_flows)),
        allowed_oauth_scopes=literal(list(settings.oauth_scopes)),
        callback_urls=literal(list(settings.callback_urls)) or None,
        logout_urls=literal(list(sign_out.logout_urls(config, settings))) or None,
        default_redirect_uri=literal(settings.default_redirect_uri),
        # A client credentials client signs nobody in: it names no identity provider.
        supported_identity_providers=offered if settings.callback_urls else None,
        # None: not managed (a created client gets Cognito's default, an adopted one keeps its own).
        access_token_validity=settings.access_token_validity,
        id_token_validity=settings.id_token_validity,
        refresh_token_validity=settings.refresh_token_validity,
        token_validity_units=(
            [
                CognitoUserPoolClientTokenValidityUnits(
                    access_token=settings.access_token_unit or COGNITO_TOKEN_UNITS["access_token"],
                    id_token=settings.id_token_unit or COGNITO_TOKEN_UNITS["id_token"],
                    refresh_token=settings.refresh_token_unit or COGNITO_TOKEN_UNITS["refresh_token"],
                )
            ]
            if settings.units_managed
            else None
        ),
        explicit_auth_flows=_listed(settings.explicit_auth_flows),
        prevent_user_existence_errors=settings.prevent_user_existence_errors,
        enable_token_revocation=settings.enable_token_revocation,
        auth_session_validity=settings.auth_session_validity,
        read_attributes=_listed(settings.read_attributes),
        write_attributes=_listed(settings.write_attributes),
    )
    # The AWS provider reads no generate_secret back after an import: an adopted client with a secret would be
    # replaced. Cognito cannot add or remove a secret anyway; the doctor names a config that differs (the module's
    # app_client.tf does the same).
    stack.add_override(
        f"resource.{app_client(settings.terraform_name).address}.lifecycle.ignore_changes", ["generate_secret"]
    )
    if resource_servers and any("/" in s for s in settings.oauth_scopes):
        stack.add_override(f"resource.{app_client(settings.terraform_name).address}.depends_on", resource_servers)
    return resource


def _listed(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else literal(list(values))


def hosted_login_urls(config: StackConfig, client: AppClientSettings, client_id: str) -> dict[str, str]:
    """Per identity provider ``client`` offers: the hosted login URL that starts its login at once, as the
    ``hosted_login_urls`` output builds it (definitions/outputs.py). ``quote(safe="")`` escapes exactly what
    Terraform's ``urlencode`` does, with a space as ``%20``; ``$`` and ``{`` come out escaped, so no part can read
    as a template."""
    if not client.callback_urls:
        return {}
    tail = (
        f"&response_type=code&client_id={client_id}&redirect_uri={quote(client.callback_urls[0], safe='')}"
        f"&scope={quote(' '.join(client.oauth_scopes), safe='')}"
    )
    return {
        name: f"https://{config.cognito_host}/oauth2/authorize?identity_provider={quote(name, safe='')}{tail}"
        for name in config.offered_providers(client)
        if name != "COGNITO"
    }


def login_hint_urls(config: StackConfig, client: AppClientSettings, client_id: str) -> dict[str, str]:
    """Per acr of ``identity_provider.login_hint_eids``: ``client``'s hosted login URL through the picker with
    ``login_hint=acr_values:<acr>``, which Cognito adds to its request to Idura (docs/login-hint.md), so the eID
    is chosen per login. Empty when ``client`` does not offer the picker."""
    picker = hosted_login_urls(config, client, client_id).get(config.identity_provider.name)
    if picker is None:
        return {}
    return {
        acr: f"{picker}&login_hint={quote(f'acr_values:{acr}', safe='')}"
        for acr in config.identity_provider.login_hint_eids
    }
