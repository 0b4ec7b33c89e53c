"""A Cognito OIDC identity provider that logs users in through Idura, optionally pinned to one eID."""

from __future__ import annotations

from idura_verify.program import oidc

from ..config.model import IdentityProvider, StackConfig
from ..definitions.addresses import Resource
from ..encoding import template_value as literal
from .bindings import CognitoIdentityProvider
from .cdk import TerraformStack


def add_identity_provider(
    stack: TerraformStack,
    resource: Resource,
    *,
    provider: IdentityProvider,
    user_pool_id: str,
    config: StackConfig,
    client_secret: str,
) -> str:
    """``provider_type = OIDC`` against ``https://<idura domain>``; returns a reference to its ``provider_name``.

    The picker (no ``acr``): Cognito discovers Idura's endpoints and the user picks an eID on Idura's page. A
    pinned eID: the authorize URL is Idura's ``/<BASE64(acr)>/oauth2/authorize``, which starts that eID directly;
    Cognito then needs every endpoint given by hand. Each has its own scopes and attribute mapping
    (config.model.IdentityProvider). ``client_secret`` must be a sensitive expression. A reference, not the name
    itself, so that the app client depends on the provider (app_client.py).
    """
    idura, acr = config.idura, provider.acr
    details = {
        "client_id": literal(idura.client_id),
        "client_secret": client_secret,
        "authorize_scopes": literal(" ".join(provider.scopes)),
        "oidc_issuer": literal(idura.issuer),
        "attributes_request_method": "GET",
        # Read-only and always "false" for OIDC: Cognito returns it on every read, so stating it here
        # avoids a perpetual diff (hashicorp/terraform-provider-aws#42157).
        "attributes_url_add_attributes": "false",
    }
    if acr is not None:
        details |= literal(
            {
                "authorize_url": oidc.authorize_url(idura.domain, acr),
                "token_url": oidc.token_url(idura.domain),
                "attributes_url": oidc.userinfo_url(idura.domain),
                "jwks_uri": oidc.jwks_url(idura.domain),
            }
        )
    CognitoIdentityProvider(
        stack,
        resource.name,
        user_pool_id=user_pool_id,
        provider_name=literal(provider.name),
        provider_type="OIDC",
        provider_details=details,
        attribute_mapping=literal(dict(provider.attributes)),
    )
    return resource.ref("provider_name")
