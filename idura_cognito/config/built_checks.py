"""A StackConfig built or changed in code (``dataclasses.replace``) is checked with the loader's value rules.

The construct (``IduraCognitoStack``) takes a StackConfig; a team's own app may build one without a file. Every
string the config reaches Terraform with passes the same rule the loader applies to it (the field table's rule,
the forbidden characters, CDKTF's number tokens), so a value the loader would refuse cannot reach a stack
another way. The error names the key as a file would, with "(in a StackConfig built in code)".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from idura_verify.program.rules import forbidden_character

from ..encoding import cdktf_number_token
from .errors import ConfigError
from .fields import FIELDS, Field
from .model import StackConfig

SOURCE = "(in a StackConfig built in code)"


def check_built(stack: StackConfig) -> None:
    """Raise ConfigError for the first value the loader would have refused."""
    for field in FIELDS:
        for where, value in _values(stack, field):
            _check(stack, field, where, value)
    for where, value in _strings(stack, "stack"):
        _refuse_hidden(stack, where, value)


def _owners(stack: StackConfig, field: Field) -> Iterator[tuple[str, Any]]:
    table = field.table
    if table == "app_client":
        for client in stack.app_clients:
            yield f"app_clients.{client.key}", client
    elif table.startswith("pinned_eids"):
        for index, eid in enumerate(stack.pinned_eids):
            yield f"pinned_eids[{index}]", eid
    elif table in ("tags", "existing_resource_servers"):
        yield "", stack
    else:
        owner = getattr(stack, table, None)
        if owner is not None and dataclasses.is_dataclass(owner):
            yield table, owner


def _values(stack: StackConfig, field: Field) -> Iterator[tuple[str, Any]]:
    if field.rule is None:
        return
    name = field.hcl.split(".", 1)[1] if field.hcl and "." in field.hcl else field.name
    for prefix, owner in _owners(stack, field):
        value = getattr(owner, name, None)
        if value is None:
            continue
        where = f"{prefix}.{field.name}" if prefix else field.name
        if isinstance(value, dict):
            items = value.keys() if field.key.endswith("{}") else value.values()
            for item in items:
                yield where, item
        elif isinstance(value, (tuple, list)):
            for item in value:
                yield where, item
        else:
            yield where, value


def _check(stack: StackConfig, field: Field, where: str, value: Any) -> None:
    if not isinstance(value, str):
        return  # numbers and booleans are typed by the dataclasses; the rules are about strings
    problem = field.value_rule.problem(value)
    if problem:
        raise ConfigError(f"stacks.{stack.name}.{where}", problem, SOURCE)


def _strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            yield from _strings(getattr(node, item.name), f"{where}.{item.name}")
    elif isinstance(node, (tuple, list)):
        for index, item in enumerate(node):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _strings(key, f"{where}{{}}")
            yield from _strings(item, f"{where}.{key}")


def _refuse_hidden(stack: StackConfig, where: str, value: str) -> None:
    key = f"stacks.{stack.name}{where.removeprefix('stack')}"
    character = forbidden_character(value)
    if character is not None:
        raise ConfigError(
            key, f"contains the control or invisible character '{character}', which is never allowed", SOURCE
        )
    if cdktf_number_token(value) is not None:
        raise ConfigError(key, "holds a number CDKTF would read as one of its tokens", SOURCE)
