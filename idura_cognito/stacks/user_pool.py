"""The Cognito user pool: created for eID logins, or an existing one referenced by id."""

from __future__ import annotations

from ..config.model import StackConfig
from ..definitions import naming
from ..definitions.addresses import USER_POOL
from ..encoding import template_literal as literal
from .bindings import (
    CognitoUserPool,
    CognitoUserPoolAdminCreateUserConfig,
    CognitoUserPoolLambdaConfig,
    CognitoUserPoolSchema,
    CognitoUserPoolSchemaStringAttributeConstraints,
    CognitoUserPoolSoftwareTokenMfaConfiguration,
    CognitoUserPoolUsernameConfiguration,
)
from .cdk import TerraformStack


def add_user_pool(
    stack: TerraformStack, *, config: StackConfig, tags: dict[str, str], pre_sign_up: str | None = None
) -> CognitoUserPool | None:
    """A user pool that eID logins can federate into (``USER_POOL``); returns it (None: an existing pool).

    A created pool requires no attribute (eIDs return no email, and required attributes can never be changed
    later), lets nobody sign up with a password unless ``self_sign_up``, and declares the ``custom:`` attributes
    the IdP mapping uses. Every setting the resource would reset when it is not written (MFA, verified and sign-in
    attributes) comes from the config, so an adopted pool keeps what it has.
    An existing pool is used as is; ``idura-cognito doctor`` checks that it does not require email. ``tags``
    must already be template-escaped. ``pre_sign_up``: the trigger's ARN (a reference to the linking function, or
    the config's own ARN), the only trigger the product sets; None: no trigger.
    """
    settings = config.user_pool
    if settings.existing_id is not None:
        return None
    return CognitoUserPool(
        stack,
        USER_POOL.name,
        name=settings.name or "",  # letters, digits, spaces and _+=,.@- only: no template characters
        deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
        mfa_configuration=settings.mfa.upper(),
        software_token_mfa_configuration=(
            CognitoUserPoolSoftwareTokenMfaConfiguration(enabled=True) if settings.mfa_totp else None
        ),
        auto_verified_attributes=list(settings.auto_verified_attributes) or None,
        username_attributes=list(settings.username_attributes) or None,
        alias_attributes=list(settings.alias_attributes) or None,
        # The module's stack_tag: the proof of origin deploy needs to take the pool back after a cut-off apply.
        tags={**tags, naming.STACK_TAG: literal(naming.stack_tag_value(config.name, config.escrow_name))},
        # Default: federated users and administrators only, no self sign-up with a password.
        admin_create_user_config=CognitoUserPoolAdminCreateUserConfig(
            allow_admin_create_user_only=not settings.self_sign_up
        ),
        # Cannot change after creation: an adopted pool keeps the value it was created with.
        username_configuration=CognitoUserPoolUsernameConfiguration(case_sensitive=settings.username_case_sensitive),
        schema=[_custom_attribute(name) for name in config.custom_attributes] or None,
        lambda_config=CognitoUserPoolLambdaConfig(pre_sign_up=pre_sign_up) if pre_sign_up else None,
    )


def _custom_attribute(name: str) -> CognitoUserPoolSchema:
    # Mutable, because Cognito rewrites mapped attributes on every federated login.
    return CognitoUserPoolSchema(
        name=name,
        attribute_data_type="String",
        mutable=True,
        # Without explicit constraints the provider plans a diff on every run.
        string_attribute_constraints=CognitoUserPoolSchemaStringAttributeConstraints(min_length="0", max_length="2048"),
    )
