"""The Cognito domain that hosts the login pages and receives Idura's redirect."""

from __future__ import annotations

from constructs import Construct

from ..config.model import DomainSettings
from .bindings import CognitoUserPoolDomain


class LoginDomain(Construct):
    """A prefix domain, a custom domain (ACM certificate in us-east-1), or nothing for an existing domain."""

    def __init__(self, scope: Construct, id_: str, *, settings: DomainSettings, user_pool_id: str) -> None:
        super().__init__(scope, id_)
        self.resource: CognitoUserPoolDomain | None = None
        if settings.kind == "existing":
            return
        self.resource = CognitoUserPoolDomain(
            self,
            "domain",
            user_pool_id=user_pool_id,
            domain=settings.cognito_domain,
            certificate_arn=settings.certificate_arn,
            managed_login_version=settings.managed_login_version,
        )
        self.resource.override_logical_id("domain")
