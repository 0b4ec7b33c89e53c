"""Python values as HCL expressions, laid out exactly as `terraform fmt` lays them out.

`terraform fmt` aligns the `=` of consecutive single-line attributes; an attribute whose value spans lines
is not aligned and ends the group. Rendering the same way makes generated files pass `terraform fmt -check`.
"""

from __future__ import annotations

import json
import re
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Raw(str):
    """An HCL expression written as is (a reference such as ``module.x.y``), not a string literal."""


def string(value: str) -> str:
    """A quoted HCL string; ``${`` and ``%{`` are escaped so a value can never become an expression."""
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted.replace("${", "$${").replace("%{", "%%{")


def expression(value: Any, indent: int) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return string(value)
    pad = "  " * (indent + 1)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(not isinstance(v, dict | list | tuple) for v in value):
            return "[" + ", ".join(expression(v, indent) for v in value) + "]"
        items = [f"{pad}{expression(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + "\n" + "  " * indent + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + body(value, indent + 1) + "\n" + "  " * indent + "}"
    raise TypeError(f"cannot render {type(value).__name__} as HCL")


def key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else string(name)


def body(attributes: dict[str, Any], indent: int) -> str:
    """Attribute lines at ``indent``, `=` aligned within runs of single-line values."""
    pad = "  " * indent
    rendered = [(key(k), expression(v, indent)) for k, v in attributes.items()]
    lines: list[str] = []
    group: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in group), default=0)
        lines.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in group)
        group.clear()

    for k, v in rendered:
        if "\n" in v:
            flush()
            lines.append(f"{pad}{k} = {v}")
        else:
            group.append((k, v))
    flush()
    return "\n".join(lines)
