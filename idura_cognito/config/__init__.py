"""Configuration: one TOML file, one table per environment, validated in one place.

``toml_reader`` reads tables strictly (generic); ``schema`` knows the keys; every value rule comes from the one
table in ``idura_verify.rules``; ``model`` holds the validated result and the values derived from it.
"""

from .errors import ConfigError
from .model import ProjectConfig, StackConfig
from .schema import CONFIG_ENV, DEFAULT_PATH, config_path, load_config, parse_config

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_PATH",
    "ConfigError",
    "ProjectConfig",
    "StackConfig",
    "config_path",
    "load_config",
    "parse_config",
]
