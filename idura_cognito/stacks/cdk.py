"""The adapter: the one module that imports the CDK's core, CDKTF's ``cdktf`` or CDK Terrain's ``cdktn``.

CDK Terrain is CDKTF's maintained fork with the same API under other module names, so the stack code is one:
every construct imports these names from here, and bindings.py loads the provider bindings of the same CDK.
Which one: ``cdk_choice.chosen()`` (``$IDURA_COGNITO_CDK``, else what is installed). Both write the same
Terraform JSON for these stacks, apart from the provider versions their bindings pin (CDKTF: AWS 5.100.0,
CDK Terrain: AWS 6.x) and the CDK's version in the metadata; tests/synth/test_cdk_terrain.py compares them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .cdk_choice import chosen, pin

CDK = chosen()
pin(CDK)  # one CDK per process: its core is imported below

if TYPE_CHECKING:  # for type checkers: the API is CDKTF's (CDK Terrain's is a superset)
    from cdktf import (
        App,
        AssetType,
        CloudBackend,
        DataResource,
        LocalBackend,
        LocalExecProvisioner,
        NamedCloudWorkspace,
        Postcondition,
        S3Backend,
        TerraformAsset,
        TerraformOutput,
        TerraformResourceLifecycle,
        TerraformStack,
        Token,
    )
else:
    _core = importlib.import_module(CDK.core)
    App = _core.App
    AssetType = _core.AssetType
    CloudBackend = _core.CloudBackend
    DataResource = _core.DataResource
    LocalExecProvisioner = _core.LocalExecProvisioner
    LocalBackend = _core.LocalBackend
    NamedCloudWorkspace = _core.NamedCloudWorkspace
    Postcondition = _core.Postcondition
    S3Backend = _core.S3Backend
    TerraformAsset = _core.TerraformAsset
    TerraformOutput = _core.TerraformOutput
    TerraformResourceLifecycle = _core.TerraformResourceLifecycle
    TerraformStack = _core.TerraformStack
    Token = _core.Token

__all__ = [
    "CDK",
    "App",
    "AssetType",
    "CloudBackend",
    "DataResource",
    "LocalExecProvisioner",
    "LocalBackend",
    "NamedCloudWorkspace",
    "Postcondition",
    "S3Backend",
    "TerraformAsset",
    "TerraformOutput",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
]
