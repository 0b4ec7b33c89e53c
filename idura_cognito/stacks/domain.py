"""The Cognito domain that hosts the login pages and receives Idura's redirect."""

from __future__ import annotations

from ..config.model import DomainSettings
from ..definitions.addresses import DOMAIN
from .bindings import CognitoUserPoolDomain
from .cdk import TerraformStack


def add_login_domain(stack: TerraformStack, *, settings: DomainSettings, user_pool_id: str) -> None:
    """A prefix domain, a custom domain (ACM certificate in us-east-1), or nothing for an existing domain."""
    if settings.kind == "existing":
        return
    CognitoUserPoolDomain(
        stack,
        DOMAIN.name,
        user_pool_id=user_pool_id,
        domain=settings.cognito_domain,
        certificate_arn=settings.certificate_arn,
        managed_login_version=settings.managed_login_version,
    )
