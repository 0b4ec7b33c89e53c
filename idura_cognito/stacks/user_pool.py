"""The Cognito user pool: created for eID logins, or an existing one referenced by id."""

from __future__ import annotations

from cdktf import TerraformStack

from ..config.model import StackConfig
from .bindings import (
    CognitoUserPool,
    CognitoUserPoolAdminCreateUserConfig,
    CognitoUserPoolSchema,
    CognitoUserPoolSchemaStringAttributeConstraints,
    CognitoUserPoolUsernameConfiguration,
)

#: The Terraform name of the pool: ``aws_cognito_user_pool.user_pool``.
NAME = "user_pool"


class EidUserPool:
    """A user pool that eID logins can federate into: ``aws_cognito_user_pool.user_pool`` in ``stack``.

    A created pool requires no attribute (eIDs return no email, and required attributes can never be changed
    later), lets nobody sign up with a password, and declares the ``custom:`` attributes the IdP mapping uses.
    An existing pool is used as is; ``idura-cognito doctor`` checks that it does not require email.
    """

    def __init__(self, stack: TerraformStack, *, config: StackConfig, tags: dict[str, str]) -> None:
        """``tags`` must already be template-escaped."""
        settings, identity_provider = config.user_pool, config.identity_provider
        self.resource: CognitoUserPool | None = None
        if settings.existing_id is not None:
            self.user_pool_id: str = settings.existing_id
            return
        self.resource = CognitoUserPool(
            stack,
            NAME,
            name=settings.name or "",  # letters, digits, spaces and _+=,.@- only: no template characters
            deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
            tags=tags,
            # Federated users only: no self sign-up with a password.
            admin_create_user_config=CognitoUserPoolAdminCreateUserConfig(allow_admin_create_user_only=True),
            # Cannot change after creation: an adopted pool keeps the value it was created with.
            username_configuration=CognitoUserPoolUsernameConfiguration(
                case_sensitive=settings.username_case_sensitive
            ),
            schema=[_custom_attribute(name) for name in identity_provider.custom_attributes] or None,
        )
        self.user_pool_id = f"${{aws_cognito_user_pool.{NAME}.id}}"


def _custom_attribute(name: str) -> CognitoUserPoolSchema:
    # Mutable, because Cognito rewrites mapped attributes on every federated login.
    return CognitoUserPoolSchema(
        name=name,
        attribute_data_type="String",
        mutable=True,
        # Without explicit constraints the provider plans a diff on every run.
        string_attribute_constraints=CognitoUserPoolSchemaStringAttributeConstraints(min_length="0", max_length="2048"),
    )
