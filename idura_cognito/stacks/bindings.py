"""The only module that imports the prebuilt provider bindings; every construct imports its classes from here.

Why the bindings are loaded lazily: the package ``cdktf_cdktf_provider_aws/__init__.py`` imports all of its
~2,100 submodules (one per resource type, ~7 s) and defines nothing else: no classes, only ``__all__`` and
``publication.publish()``. Importing one submodule normally runs that ``__init__`` first. Instead, the package
is registered in ``sys.modules`` as a bare module with the real ``__path__`` (and ``__spec__``), so Python
imports just the submodules named below plus ``_jsii``, which loads the jsii assembly exactly as before. The
classes, their jsii type registrations and the synthesized JSON are the same (a test checks byte-identical
output against an app that imports the package the ordinary way). If the package is already imported, nothing
changes. Only resource types imported here may be used; another type is added to ``AWS_CLASSES``.

CDK Terrain (the CDK the adapter, cdk.py, chose): its provider packages load their submodules lazily already
(PEP 562), so registering them bare changes little; what still pays there is the memoized type hints below,
since the ``cdktn`` core still resolves its stubs' type hints on every call. ``make bench`` measures both.
"""

import importlib
import importlib.util
import sys
import types
import typing
from typing import TYPE_CHECKING

from .cdk import CDK


def _register_without_init(package: str) -> None:
    if package in sys.modules:
        return  # imported already (e.g. the ordinary way by the benchmark's baseline): use it as it is
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not installed: pip install 'idura-cognito[{CDK.extra}]'")
    module = types.ModuleType(package)
    module.__spec__ = spec
    module.__path__ = list(spec.submodule_search_locations)
    module.__file__ = spec.origin
    module.__package__ = package
    module.__loader__ = spec.loader
    module.__getattr__ = _submodules_on_demand(package, module.__path__)  # type: ignore[method-assign]
    sys.modules[package] = module


def _submodules_on_demand(package: str, path: list[str]):
    """The bare package behaves as the real one for whoever imports it after us (a team's own app): an
    attribute that names a submodule imports it (``aws.s3_bucket.S3Bucket``), ``__all__`` lists them all (``from
    cdktf_cdktf_provider_aws import *``). Names are looked up on disk, so nothing is imported that was not asked for.
    """
    import pkgutil

    def __getattr__(name: str):  # noqa: N807 - a module's __getattr__ (PEP 562)
        if name == "__all__":
            return sorted(m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_"))
        if not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


#: submodule of the AWS bindings -> the classes the stacks use. Another resource type is added here.
AWS_CLASSES = {
    "cloudwatch_log_group": ("CloudwatchLogGroup",),
    "cognito_identity_provider": ("CognitoIdentityProvider",),
    "cognito_resource_server": ("CognitoResourceServer", "CognitoResourceServerScope"),
    "cognito_user_pool": (
        "CognitoUserPool",
        "CognitoUserPoolAdminCreateUserConfig",
        "CognitoUserPoolLambdaConfig",
        "CognitoUserPoolSchema",
        "CognitoUserPoolSchemaStringAttributeConstraints",
        "CognitoUserPoolSoftwareTokenMfaConfiguration",
        "CognitoUserPoolUsernameConfiguration",
    ),
    "cognito_user_pool_client": ("CognitoUserPoolClient", "CognitoUserPoolClientTokenValidityUnits"),
    "cognito_user_pool_domain": ("CognitoUserPoolDomain",),
    "data_aws_cognito_user_pool": ("DataAwsCognitoUserPool",),
    "data_aws_secretsmanager_secret_version": ("DataAwsSecretsmanagerSecretVersion",),
    "data_aws_secretsmanager_secret_versions": ("DataAwsSecretsmanagerSecretVersions",),
    "data_aws_secretsmanager_secrets": ("DataAwsSecretsmanagerSecrets", "DataAwsSecretsmanagerSecretsFilter"),
    "iam_role": ("IamRole",),
    "iam_role_policy": ("IamRolePolicy",),
    "lambda_function": ("LambdaFunction", "LambdaFunctionEnvironment"),
    "lambda_permission": ("LambdaPermission",),
    "provider": ("AwsProvider", "AwsProviderEndpoints"),
    "secretsmanager_secret": ("SecretsmanagerSecret",),
    "secretsmanager_secret_version": ("SecretsmanagerSecretVersion",),
}
EXTERNAL_CLASSES = {"data_external": ("DataExternal",), "provider": ("ExternalProvider",)}


def _load(package: str, classes: dict[str, tuple[str, ...]]) -> dict[str, type]:
    """Import just the named submodules of the (bare) package and take the classes the stacks use."""
    loaded = {}
    for submodule, names in classes.items():
        module = importlib.import_module(f"{package}.{submodule}")
        loaded.update({name: getattr(module, name) for name in names})
    return loaded


_register_without_init(CDK.aws)
_register_without_init(CDK.external)
_CLASSES = {**_load(CDK.aws, AWS_CLASSES), **_load(CDK.external, EXTERNAL_CLASSES)}
globals().update(_CLASSES)

if TYPE_CHECKING:  # the names as type checkers see them (CDKTF's bindings; CDK Terrain's have the same API)
    pass

#: Packages generated by jsii-pacmak (cdktf, constructs and the provider bindings).
GENERATED_PACKAGES = (CDK.core, "constructs", CDK.aws, CDK.external)


def _memoize_type_hints() -> None:
    """Resolve each generated type-checking stub's annotations once instead of on every jsii call.

    The pinned bindings call ``typing.get_type_hints(stub)`` before every constructor and method (~30 ms per
    environment, most of what a synth of many environments costs beyond jsii itself). The jsii runtime ships a
    memoized equivalent, ``cached_type_hints``, that newer generated code calls instead ("behaves identically
    to typing.get_type_hints for the stub functions emitted by jsii-pacmak"). The generated modules' ``typing``
    name is pointed at a copy of the typing module with that function; the same type checks run, the global
    ``typing`` module is untouched, and an older jsii without it changes nothing.
    """
    try:
        from jsii._type_checking import cached_type_hints
    except ImportError:
        return
    proxy = types.ModuleType("typing")
    proxy.__dict__.update(typing.__dict__)
    proxy.get_type_hints = cached_type_hints  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in GENERATED_PACKAGES:
            namespace = _namespace(module)
            if namespace is not None:
                namespace["typing"] = proxy


def _namespace(module: types.ModuleType) -> dict | None:
    """The dict the module's functions run in, when they use the global ``typing``. A package that calls
    ``publication.publish()`` (the CDK cores) is replaced in ``sys.modules`` by a view of its public names; its
    real namespace is still the globals of its classes' methods."""
    if vars(module).get("typing") is typing:
        return vars(module)
    for value in list(vars(module).values()):
        found = getattr(getattr(value, "__init__", None), "__globals__", None)
        if found is not None and found.get("__name__") == module.__name__:
            return found if found.get("typing") is typing else None
    return None


_memoize_type_hints()

__all__ = sorted(_CLASSES)  # noqa: PLE0605 - the classes loaded above


def managed_login_branding() -> type | None:
    """``CognitoManagedLoginBranding`` where the chosen CDK's bindings have it (AWS provider 6, CDK Terrain);
    None for CDKTF's provider 5 bindings, which predate the resource."""
    submodule = f"{CDK.aws}.cognito_managed_login_branding"
    if importlib.util.find_spec(submodule) is None:
        return None
    return importlib.import_module(submodule).CognitoManagedLoginBranding
