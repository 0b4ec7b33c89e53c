"""The only module that imports the prebuilt AWS provider bindings (cdktf-cdktf-provider-aws).

Every construct imports its resource classes from here, so the way the bindings are loaded is decided in one
place.
"""

from cdktf_cdktf_provider_aws.cognito_identity_provider import CognitoIdentityProvider
from cdktf_cdktf_provider_aws.cognito_user_pool import (
    CognitoUserPool,
    CognitoUserPoolAdminCreateUserConfig,
    CognitoUserPoolSchema,
    CognitoUserPoolSchemaStringAttributeConstraints,
    CognitoUserPoolUsernameConfiguration,
)
from cdktf_cdktf_provider_aws.cognito_user_pool_client import CognitoUserPoolClient
from cdktf_cdktf_provider_aws.cognito_user_pool_domain import CognitoUserPoolDomain
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret import DataAwsSecretsmanagerSecret
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret_version import DataAwsSecretsmanagerSecretVersion
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secrets import (
    DataAwsSecretsmanagerSecrets,
    DataAwsSecretsmanagerSecretsFilter,
)
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderEndpoints
from cdktf_cdktf_provider_aws.secretsmanager_secret import SecretsmanagerSecret
from cdktf_cdktf_provider_aws.secretsmanager_secret_version import SecretsmanagerSecretVersion
from cdktf_cdktf_provider_external.data_external import DataExternal
from cdktf_cdktf_provider_external.provider import ExternalProvider

__all__ = [
    "AwsProvider",
    "AwsProviderEndpoints",
    "CognitoIdentityProvider",
    "CognitoUserPool",
    "CognitoUserPoolAdminCreateUserConfig",
    "CognitoUserPoolClient",
    "CognitoUserPoolDomain",
    "CognitoUserPoolSchema",
    "CognitoUserPoolSchemaStringAttributeConstraints",
    "CognitoUserPoolUsernameConfiguration",
    "DataAwsSecretsmanagerSecret",
    "DataAwsSecretsmanagerSecretVersion",
    "DataAwsSecretsmanagerSecrets",
    "DataAwsSecretsmanagerSecretsFilter",
    "DataExternal",
    "ExternalProvider",
    "SecretsmanagerSecret",
    "SecretsmanagerSecretVersion",
]
