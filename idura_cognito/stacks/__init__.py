"""The CDKTF stack of one environment, for the product's own app and for a team's own CDKTF app.

    from idura_cognito.stacks import IduraCognitoStack, load_config

Importing this package loads the AWS provider bindings (a few seconds). The stack's properties are documented on
:class:`IduraCognitoStack`; the config's keys in the README's reference.
"""

from ..config.errors import ConfigError
from ..config.model import ProjectConfig, StackConfig
from ..config.schema import load_config
from .cdk import App
from .stack import IduraCognitoStack

#: ``App`` is the chosen CDK's (CDKTF's or CDK Terrain's): a team's app takes it from here so that its stacks and
#: this one belong to the same CDK.
__all__ = ["App", "ConfigError", "IduraCognitoStack", "ProjectConfig", "StackConfig", "load_config"]
