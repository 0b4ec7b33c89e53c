"""The Cognito app client that applications use for the code flow."""

from __future__ import annotations

from cdktf import TerraformStack

from ..config.model import StackConfig
from ..hcl.values import template_value as literal
from .bindings import CognitoUserPoolClient

#: The Terraform name of the client: ``aws_cognito_user_pool_client.app_client``.
NAME = "app_client"


class CodeFlowAppClient:
    """A client for the authorization code flow (public unless ``generate_secret``), offering the given providers.

    ``identity_providers`` must be references to the IdP resources' ``provider_name``
    (``${aws_cognito_identity_provider.<name>.provider_name}``), not the names themselves, so that Terraform
    creates the providers first ("The provider X does not exist for User Pool" otherwise). The resource is
    ``aws_cognito_user_pool_client.app_client`` in ``stack``.
    """

    def __init__(
        self,
        stack: TerraformStack,
        *,
        config: StackConfig,
        user_pool_id: str,
        identity_providers: list[str],
    ) -> None:
        settings = config.app_client
        self.resource = CognitoUserPoolClient(
            stack,
            NAME,
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
        self.client_id = f"${{aws_cognito_user_pool_client.{NAME}.id}}"
