"""The Cognito user pool: created for eID logins, or an existing one referenced by id."""

from __future__ import annotations

from cdktf import TerraformStack

from ..config.model import StackConfig
from ..definitions.addresses import USER_POOL
from .bindings import (
    CognitoUserPool,
    CognitoUserPoolAdminCreateUserConfig,
    CognitoUserPoolSchema,
    CognitoUserPoolSchemaStringAttributeConstraints,
    CognitoUserPoolUsernameConfiguration,
)


def add_user_pool(stack: TerraformStack, *, config: StackConfig, tags: dict[str, str]) -> str:
    """A user pool that eID logins can federate into (``USER_POOL``); returns the pool id (an expression).

    A created pool requires no attribute (eIDs return no email, and required attributes can never be changed
    later), lets nobody sign up with a password, and declares the ``custom:`` attributes the IdP mapping uses.
    An existing pool is used as is; ``idura-cognito doctor`` checks that it does not require email. ``tags``
    must already be template-escaped.
    """
    settings, identity_provider = config.user_pool, config.identity_provider
    if settings.existing_id is not None:
        return settings.existing_id
    CognitoUserPool(
        stack,
        USER_POOL.name,
        name=settings.name or "",  # letters, digits, spaces and _+=,.@- only: no template characters
        deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
        tags=tags,
        # Federated users only: no self sign-up with a password.
        admin_create_user_config=CognitoUserPoolAdminCreateUserConfig(allow_admin_create_user_only=True),
        # Cannot change after creation: an adopted pool keeps the value it was created with.
        username_configuration=CognitoUserPoolUsernameConfiguration(case_sensitive=settings.username_case_sensitive),
        schema=[_custom_attribute(name) for name in identity_provider.custom_attributes] or None,
    )
    return USER_POOL.ref("id")


def _custom_attribute(name: str) -> CognitoUserPoolSchema:
    # Mutable, because Cognito rewrites mapped attributes on every federated login.
    return CognitoUserPoolSchema(
        name=name,
        attribute_data_type="String",
        mutable=True,
        # Without explicit constraints the provider plans a diff on every run.
        string_attribute_constraints=CognitoUserPoolSchemaStringAttributeConstraints(min_length="0", max_length="2048"),
    )
