"""The Cognito app client that applications use for the code flow."""

from __future__ import annotations

from cdktf import TerraformStack

from ..config.model import StackConfig
from ..definitions.addresses import APP_CLIENT
from ..hcl.values import template_value as literal
from .bindings import CognitoUserPoolClient


def add_app_client(
    stack: TerraformStack, *, config: StackConfig, user_pool_id: str, identity_providers: list[str]
) -> str:
    """A client for the authorization code flow (public unless ``generate_secret``), offering the given
    providers (``APP_CLIENT``); returns the client id (an expression).

    ``identity_providers`` must be references to the IdP resources' ``provider_name``
    (``${aws_cognito_identity_provider.<name>.provider_name}``), not the names themselves, so that Terraform
    creates the providers first ("The provider X does not exist for User Pool" otherwise).
    """
    settings = config.app_client
    CognitoUserPoolClient(
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
        supported_identity_providers=identity_providers,
    )
    return APP_CLIENT.ref("id")
