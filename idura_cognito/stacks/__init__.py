"""The CDKTF stack of one environment, for the product's own app and for a team's own CDKTF app.

    from idura_cognito.stacks import IduraCognitoStack, load_config

Importing this package loads the AWS provider bindings (a few seconds). The stack's properties are documented on
:class:`IduraCognitoStack`; the config's keys in the README's reference.
"""

from ..config.errors import ConfigError
from ..config.model import ProjectConfig, StackConfig
from ..config.schema import load_config
from .stack import IduraCognitoStack

__all__ = ["ConfigError", "IduraCognitoStack", "ProjectConfig", "StackConfig", "load_config"]
