"""The Cognito app client that applications use for the code flow."""

from __future__ import annotations

from constructs import Construct

from ..config.model import AppClientSettings
from .bindings import CognitoUserPoolClient


class CodeFlowAppClient(Construct):
    """A public client (no secret) for the authorization code flow, offering the given identity providers.

    ``identity_providers`` must be the IdP resources' ``provider_name`` attributes, not plain strings, so that
    Terraform creates the providers first ("The provider X does not exist for User Pool" otherwise).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        settings: AppClientSettings,
        user_pool_id: str,
        identity_providers: list[str],
    ) -> None:
        super().__init__(scope, id_)
        self.resource = CognitoUserPoolClient(
            self,
            "client",
            name=settings.name,
            user_pool_id=user_pool_id,
            allowed_oauth_flows_user_pool_client=True,
            allowed_oauth_flows=["code"],
            allowed_oauth_scopes=list(settings.oauth_scopes),
            callback_urls=list(settings.callback_urls),
            logout_urls=list(settings.logout_urls) or None,
            supported_identity_providers=identity_providers,
        )
        self.resource.override_logical_id("app_client")
        self.client_id: str = self.resource.id
