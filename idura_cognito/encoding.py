"""The one encoder: Python values as HCL expressions, laid out exactly as `terraform fmt` lays them out.

Every value that reaches a generated file (HCL, and the JSON CDKTF writes) goes through :func:`string` or
:func:`expression`: a value can never end a string, start an interpolation (``${``, ``%{``), or carry a
control or invisible character into a file (they are written as ``\\uNNNN`` escapes). Templates cannot bypass
it: the renderer refuses any interpolated value that did not come from here (:class:`Encoded`).

`terraform fmt` aligns the `=` of consecutive single-line attributes; an attribute whose value spans lines
is not aligned and ends the group. Rendering the same way makes generated files pass `terraform fmt -check`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from idura_verify.program.rules import FORBIDDEN_CHARACTERS

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")


class Encoded(str):
    """Text that came out of this encoder (or is fixed template text): safe to place in a generated file."""


class Raw(Encoded):
    """An HCL expression written as is (a reference such as ``module.x.y``), not a string literal."""


def template_literal(value: str) -> Encoded:
    """The text of a string that Terraform reads as a template (HCL strings, CDKTF's JSON): ``${`` and ``%{``
    doubled, so a value can never start an interpolation or a directive."""
    return Encoded(value.replace("${", "$${").replace("%{", "%%{"))


def template_value(value: Any) -> Any:
    """A value for CDKTF's JSON: every string in it (keys too) through :func:`template_literal`."""
    if isinstance(value, str):
        return template_literal(value)
    if isinstance(value, list | tuple):
        return [template_value(v) for v in value]
    if isinstance(value, dict):
        return {template_value(k): template_value(v) for k, v in value.items()}
    return value


def string(value: str) -> Encoded:
    """A quoted HCL string literal: quotes, backslashes and control characters escaped, ``${``/``%{`` doubled."""
    quoted = json.dumps(value, ensure_ascii=False)
    quoted = "".join(c if c.isprintable() and not _FORBIDDEN.match(c) else _escape(c) for c in quoted)
    return Encoded(quoted.replace("${", "$${").replace("%{", "%%{"))


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def expression(value: Any, indent: int) -> Encoded:
    return Encoded(_expression(value, indent))


def _expression(value: Any, indent: int) -> str:
    if isinstance(value, Encoded):  # encoded already (or a Raw expression): never twice
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
    return name if _IDENTIFIER.fullmatch(name) else string(name)


def body(attributes: dict[str, Any], indent: int) -> Encoded:
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
    return Encoded("\n".join(lines))
