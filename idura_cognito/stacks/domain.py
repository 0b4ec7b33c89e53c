"""The Cognito domain that hosts the login pages and receives Idura's redirect."""

from __future__ import annotations

from cdktf import TerraformStack

from ..config.model import DomainSettings
from .bindings import CognitoUserPoolDomain


class LoginDomain:
    """A prefix domain, a custom domain (ACM certificate in us-east-1), or nothing for an existing domain.

    The resource is ``aws_cognito_user_pool_domain.domain`` in ``stack``.
    """

    def __init__(self, stack: TerraformStack, *, settings: DomainSettings, user_pool_id: str) -> None:
        self.resource: CognitoUserPoolDomain | None = None
        if settings.kind == "existing":
            return
        self.resource = CognitoUserPoolDomain(
            stack,
            "domain",
            user_pool_id=user_pool_id,
            domain=settings.cognito_domain,
            certificate_arn=settings.certificate_arn,
            managed_login_version=settings.managed_login_version,
        )
