"""Configuration: one TOML file, one table per environment, validated in one place."""

from .errors import ConfigError
from .loader import CONFIG_ENV, DEFAULT_PATH, config_path, load_config, parse_config
from .model import ProjectConfig, StackConfig, escrow_name

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_PATH",
    "ConfigError",
    "ProjectConfig",
    "StackConfig",
    "config_path",
    "escrow_name",
    "load_config",
    "parse_config",
]
