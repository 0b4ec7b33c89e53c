"""The Cognito app client that applications use for the code flow."""

from __future__ import annotations

from urllib.parse import quote

from ..config.fields import COGNITO_TOKEN_UNITS
from ..config.model import StackConfig
from ..definitions.addresses import APP_CLIENT
from ..encoding import template_value as literal
from .bindings import CognitoUserPoolClient, CognitoUserPoolClientTokenValidityUnits
from .cdk import TerraformStack


def add_app_client(
    stack: TerraformStack, *, config: StackConfig, user_pool_id: str, identity_providers: list[str]
) -> CognitoUserPoolClient:
    """A client for the authorization code flow (public unless ``generate_secret``), offering the given
    providers (``APP_CLIENT``); returns it.

    ``identity_providers`` must be references to the IdP resources' ``provider_name``
    (``${aws_cognito_identity_provider.<name>.provider_name}``), not the names themselves, so that Terraform
    creates the providers first ("The provider X does not exist for User Pool" otherwise).
    """
    settings = config.app_client
    return CognitoUserPoolClient(
        stack,
        APP_CLIENT.name,
        name=settings.name,  # letters, digits, spaces and _+=,.@- only: no template characters
        user_pool_id=user_pool_id,
        # Only when true: an imported client reads back no value, and false would force its replacement.
        generate_secret=settings.generate_secret or None,
        allowed_oauth_flows_user_pool_client=True,
        allowed_oauth_flows=["code"],
        allowed_oauth_scopes=literal(list(settings.oauth_scopes)),
        callback_urls=literal(list(settings.callback_urls)),
        logout_urls=literal(list(settings.logout_urls)) or None,
        default_redirect_uri=literal(settings.default_redirect_uri),
        supported_identity_providers=(["COGNITO"] if settings.cognito_login else []) + identity_providers,
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


def _listed(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else literal(list(values))


def hosted_login_urls(config: StackConfig, client_id: str) -> dict[str, str]:
    """Per identity provider: the hosted login URL that starts its login at once, as the ``hosted_login_urls``
    output builds it (definitions/outputs.py). ``quote(safe="")`` escapes exactly what Terraform's ``urlencode``
    does, with a space as ``%20``; ``$`` and ``{`` come out escaped, so no part can read as a template."""
    settings = config.app_client
    tail = (
        f"&response_type=code&client_id={client_id}&redirect_uri={quote(settings.callback_urls[0], safe='')}"
        f"&scope={quote(' '.join(settings.oauth_scopes), safe='')}"
    )
    return {
        name: f"https://{config.cognito_host}/oauth2/authorize?identity_provider={quote(name, safe='')}{tail}"
        for name in config.idp_names
    }
