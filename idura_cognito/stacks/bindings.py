"""The only module that imports the prebuilt provider bindings; every construct imports its classes from here.

Why the bindings are loaded lazily: the package ``cdktf_cdktf_provider_aws/__init__.py`` imports all of its
~2,100 submodules (one per resource type, ~7 s) and defines nothing else: no classes, only ``__all__`` and
``publication.publish()``. Importing one submodule normally runs that ``__init__`` first. Instead, the package
is registered in ``sys.modules`` as a bare module with the real ``__path__`` (and ``__spec__``), so Python
imports just the submodules named below plus ``_jsii``, which loads the jsii assembly exactly as before. The
classes, their jsii type registrations and the synthesized JSON are the same (a test checks byte-identical
output against an app that imports the package the ordinary way). If the package is already imported, nothing
changes. Only resource types imported here may be used; another type is added by importing it here.
"""

import importlib.util
import sys
import types


def _register_without_init(package: str) -> None:
    if package in sys.modules:
        return  # imported already (e.g. the ordinary way by the benchmark's baseline): use it as it is
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not installed; run `make install`")
    module = types.ModuleType(package)
    module.__spec__ = spec
    module.__path__ = list(spec.submodule_search_locations)
    module.__file__ = spec.origin
    module.__package__ = package
    module.__loader__ = spec.loader
    sys.modules[package] = module


_register_without_init("cdktf_cdktf_provider_aws")
_register_without_init("cdktf_cdktf_provider_external")

# ruff: noqa: E402 - the registration above must run before these imports
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
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret_version import DataAwsSecretsmanagerSecretVersion
from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret_versions import DataAwsSecretsmanagerSecretVersions
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
    "DataAwsSecretsmanagerSecretVersion",
    "DataAwsSecretsmanagerSecretVersions",
    "DataAwsSecretsmanagerSecrets",
    "DataAwsSecretsmanagerSecretsFilter",
    "DataExternal",
    "ExternalProvider",
    "SecretsmanagerSecret",
    "SecretsmanagerSecretVersion",
]
