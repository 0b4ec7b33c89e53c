"""The config builders: a valid base config to copy and change, one managed stack against the test moto and
emulator, and the two ways a config reaches the product (a file, or text parsed directly).

The multi-stack config the synth and integration tests share is tests/support/stacks.py ``test_config``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

if TYPE_CHECKING:
    from idura_cognito.config import ProjectConfig

#: A complete, valid one-stack config; tests copy it (``base_config()``) and change one thing.
BASE_CONFIG: dict = {
    "defaults": {
        "aws": {"region": "eu-north-1"},
        "idura": {"domain": "acme-corp.test.idura.broker"},
    },
    "stacks": {
        "dev": {
            "idura": {"client_id": "urn:idura:acme:dev"},
            "user_pool": {"name": "acme-dev"},
            "domain": {"prefix": "acme-dev-login"},
            "app_client": {"callback_urls": ["https://app.acme.com/callback"]},
        }
    },
}


def base_config() -> dict:
    return copy.deepcopy(BASE_CONFIG)


def one_stack_config(
    idura_domain: str, name: str, *, secret_source: str = "managed", endpoint_url: str | None = None, **overrides
) -> dict:
    """A config with one stack ``name`` against the test moto and emulator: its own client id
    (``urn:idura:test:<name>``), pool (``acme-<name>``) and prefix domain; ``overrides`` replace stack tables.
    ``endpoint_url`` only where the config itself must name moto (an S3 backend on it)."""
    config = base_config()
    if endpoint_url:
        config["defaults"]["aws"]["endpoint_url"] = endpoint_url
    stack = config["stacks"].pop("dev")
    stack["idura"] = {
        "domain": idura_domain,
        "client_id": f"urn:idura:test:{name}",
        "secret_source": secret_source,
    }
    stack["user_pool"] = {"name": f"acme-{name}"}
    stack["domain"] = {"prefix": f"acme-{name}"}
    config["stacks"][name] = stack | overrides
    return config


def toml(config: dict) -> str:
    """The config as the text of an idura-cognito.toml."""
    return tomli_w.dumps(config)


def write_config(path: Path, config: dict) -> Path:
    """``config`` written as a TOML file at ``path``; returns ``path``."""
    path.write_text(toml(config))
    return path


def parsed_config(config: dict, source: str | None = None) -> ProjectConfig:
    """``config`` through the product's parser as the text of a file named ``source`` (the parser's default
    file name when None), without writing it anywhere."""
    from idura_cognito.config import parse_config

    text = toml(config)
    return parse_config(text) if source is None else parse_config(text, source)


def twenty_environments(folder: Path) -> Path:
    """A project of twenty stacks (env00..env19, every other one managed) written to ``folder``."""
    config = base_config()
    dev = config["stacks"].pop("dev")
    for number in range(20):
        name = f"env{number:02d}"
        config["stacks"][name] = dev | {
            "idura": {
                "client_id": f"urn:idura:acme:{name}",
                "secret_source": "managed" if number % 2 else "hand-registered",
            },
            "user_pool": {"name": f"acme-{name}"},
            "domain": {"prefix": f"acme-{name}"},
        }
    return write_config(folder / "idura-cognito.toml", config)
