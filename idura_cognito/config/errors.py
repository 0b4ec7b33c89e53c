"""The one error type for bad configuration."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration value is wrong. ``str()`` is one line naming the file, the key and what is allowed."""

    def __init__(self, key: str, message: str, source: str = "idura-cognito.toml") -> None:
        self.key = key
        self.message = message
        self.source = source
        super().__init__(f"{source}: {key}: {message}")
