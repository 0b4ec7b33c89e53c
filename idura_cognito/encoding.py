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
import struct
from typing import Any

from idura_verify.program.rules import FORBIDDEN_CHARACTERS

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")


#: CDKTF reads every run of these characters in a string as a possible number token (cdktf's tokens/private/
#: encoding.js NUMBER_TOKEN_REGEX) and replaces one whose value carries its token marker with the token's value:
#: a name like "Acme -8.10956221259138e+298" would be synthesized as another expression.
_CDKTF_NUMBER_RUN = re.compile(r"[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)")
_JS_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
#: The top 16 bits of a double CDKTF uses as a token (a plain one and a list's): DOUBLE_TOKEN_MARKER_BITS.
_CDKTF_TOKEN_MARKERS = (0xFDFF, 0xFBFF)


def cdktf_number_token(value: str) -> str | None:
    """The text in ``value`` that CDKTF would decode as one of its number tokens (parsed as JavaScript's
    parseFloat does), or None."""
    for run in _CDKTF_NUMBER_RUN.finditer(value):
        number = _JS_FLOAT.match(run.group())
        if number is None:
            continue
        try:
            bits = struct.unpack("<Q", struct.pack("<d", float(number.group())))[0]
        except OverflowError:
            continue
        if bits >> 48 in _CDKTF_TOKEN_MARKERS:
            return run.group()
    return None


class Encoded(str):
    """Text that came out of this encoder (or is fixed template text): safe to place in a generated file."""


class Raw(Encoded):
    """An HCL expression written as is (a reference such as ``module.x.y``), not a string literal."""


def template_literal(value: str) -> Encoded:
    """The text of a string that Terraform reads as a template (HCL strings, CDKTF's JSON): ``${`` and ``%{``
    doubled, so a value can never start an interpolation or a directive. Text CDKTF would read as a number token
    is refused (the config refuses it first, with its key)."""
    token = cdktf_number_token(value)
    if token is not None:
        raise ValueError(f"{token[:40]!r} would be read by CDKTF as one of its number tokens")
    return Encoded(value.replace("${", "$${").replace("%{", "%%{"))


def plain_literal(value: str) -> Encoded:
    """The text of a string that Terraform reads literally, never as a template: a backend's settings in JSON.
    (HCL reads them as templates, where ``$${`` is ``${``: both renderings then name the same state.)"""
    token = cdktf_number_token(value)
    if token is not None:
        raise ValueError(f"{token[:40]!r} would be read by CDKTF as one of its number tokens")
    return Encoded(value)


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
