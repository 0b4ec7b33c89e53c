"""User pools with identity providers in the local moto server, for the linking tests: the stack's Idura
providers (the eID picker and pinned eIDs) and another team's SAML provider."""

from __future__ import annotations

import uuid

IDURA_PROVIDERS = ("Idura", "MitID", "SE-BankID")
OTHER_TEAMS_SAML = "CorpSAML"


def pool_with_providers(cognito, *, case_sensitive: bool = False, providers=IDURA_PROVIDERS) -> str:
    """A new pool (case-insensitive user names unless asked: the module's default) with an OIDC provider for each
    of ``providers`` and another team's SAML provider."""
    pool_id = cognito.create_user_pool(
        PoolName=f"linking-{uuid.uuid4().hex[:8]}", UsernameConfiguration={"CaseSensitive": case_sensitive}
    )["UserPool"]["Id"]
    for name in providers:
        cognito.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName=name,
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "urn:idura:test",
                "client_secret": "not-a-secret",
                "oidc_issuer": "https://acme-corp.test.idura.broker",
                "authorize_scopes": "openid",
                "attributes_request_method": "GET",
            },
            AttributeMapping={"username": "sub"},
        )
    cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName=OTHER_TEAMS_SAML,
        ProviderType="SAML",
        ProviderDetails={"MetadataURL": "https://corp.example/saml/metadata"},
    )
    return pool_id


def idura_sub() -> str:
    """A sub as Idura writes it: a braced GUID (Idura's token-contents examples, e.g. {0f9960a0-d28d-...})."""
    return "{" + str(uuid.uuid4()) + "}"
