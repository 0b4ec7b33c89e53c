"""The CDKTF stack of one environment, for the product's own app and for a team's own CDKTF app.

    from idura_cognito.stacks import IduraCognitoStack, load_config

Taking ``App`` or ``IduraCognitoStack`` from this package loads the CDK and the AWS provider bindings (a few
seconds); importing one of its plain modules (``cdk_choice``, which CDK runs; ``synth_cache``) does not, so an
HCL-only install can ask which CDK is chosen without the [cdktf] extra. The stack's properties are documented on
:class:`IduraCognitoStack`; the config's keys in docs/configuration.md.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..config.errors import ConfigError
from ..config.model import ProjectConfig, StackConfig
from ..config.schema import load_config

#: ``App`` is the chosen CDK's (CDKTF's or CDK Terrain's): a team's app takes it from here so that its stacks and
#: this one belong to the same CDK.
__all__ = ["App", "ConfigError", "IduraCognitoStack", "ProjectConfig", "StackConfig", "load_config"]
_LAZY = {"App": ".cdk", "IduraCognitoStack": ".stack"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
