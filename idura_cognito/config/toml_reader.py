"""A strict reader for TOML tables: typed getters, one-line errors that name the key path and what is allowed.

Nothing here knows idura-cognito's keys (that is ``schema.py``). What every table gets:
- unknown keys are refused first, with "did you mean" (so a typo is not reported as a missing key);
- every string, and every table key, is refused when it holds a control or invisible format character;
- a value inherited from ``[defaults]`` says so in its error: "(value set in [defaults])".
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable
from typing import Any

from idura_verify.program.rules import Rule, forbidden_character

from ..encoding import cdktf_number_token
from .errors import ConfigError

MISSING: Any = object()
Check = Rule | Callable[[str], "str | None"] | None


def read_document(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("file", f"is not valid TOML ({exc})", source) from None


def merge(defaults: dict[str, Any], overrides: dict[str, Any], prefix: str = "") -> tuple[dict, set[str]]:
    """Deep-merge tables (arrays and values replace); also return the dotted keys that came from ``defaults``."""
    merged: dict[str, Any] = {}
    inherited: set[str] = set()
    for key in defaults.keys() | overrides.keys():
        path = f"{prefix}{key}"
        base, over = defaults.get(key, MISSING), overrides.get(key, MISSING)
        if isinstance(base, dict) and isinstance(over, dict):
            merged[key], sub = merge(base, over, f"{path}.")
            inherited |= sub
        elif over is MISSING:
            merged[key] = base
            inherited.add(path)
        else:
            merged[key] = over
    return merged, inherited


def type_name(value: Any) -> str:
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean", int: "an integer"}
    return names.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


class Table:
    """One TOML table at ``path`` (e.g. ``stacks.prod.idura``) of the file ``source``.

    ``inherited`` holds keys relative to the stack (``idura.domain``) whose values came from ``[defaults]``.
    """

    def __init__(self, raw: Any, path: str, source: str, inherited: frozenset[str] | set[str] = frozenset()):
        self.path, self.source, self.inherited = path, source, inherited
        if not isinstance(raw, dict):
            raise self.error("", f"must be a table, got {type_name(raw)}")
        self.raw: dict[str, Any] = raw
        for name in raw:
            self._refuse_forbidden(name, name, "the key")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path and name else (name or self.path)

    def error(self, name: str, message: str) -> ConfigError:
        key = self.key(name)
        parts = key.split(".", 2)
        relative = parts[2] if key.startswith("stacks.") and len(parts) == 3 else None
        if relative and any(relative == p or relative.startswith(f"{p}.") for p in self.inherited):
            message += " (value set in [defaults])"
        return ConfigError(key, message, self.source)

    def only(self, *allowed: str) -> Table:
        for name in sorted(self.raw):
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.error(name, f"is not a known key; {hint}allowed here: {', '.join(sorted(allowed))}")
        return self

    def has(self, name: str) -> bool:
        return name in self.raw

    # -- typed getters --------------------------------------------------------------------------------------

    def string(self, name: str, check: Check = None, *, required: bool = True, default: Any = None) -> Any:
        value = self._get(name, required)
        if value is MISSING:
            return default
        if not isinstance(value, str):
            raise self.error(name, f"must be a string, got {type_name(value)}")
        self._check(name, value, check)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._get(name, False)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, got {type_name(value)}")
        return value

    def integer(self, name: str, default: Any, minimum: int, maximum: int) -> Any:
        value = self._get(name, False)
        if value is MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            shown = value if isinstance(value, int) and not isinstance(value, bool) else type_name(value)
            allowed = f"{minimum} or {maximum}" if maximum == minimum + 1 else f"{minimum}-{maximum}"
            raise self.error(name, f"must be {allowed}, got {shown}")
        return value

    def choice(self, name: str, default: Any, choices: tuple[str, ...]) -> Any:
        value = self._get(name, False)
        if value is MISSING:
            return default
        if not isinstance(value, str) or value not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1) if isinstance(value, str) else []
            hint = f"; did you mean {close[0]!r}?" if close else ""
            shown = repr(value[:40]) if isinstance(value, str) else type_name(value)
            raise self.error(name, f"must be one of {', '.join(choices)}, got {shown}{hint}")
        return value

    def strings(self, name: str, check: Check = None, *, required: bool = True, default=()) -> tuple[str, ...]:
        value = self._get(name, required)
        if value is MISSING:
            return tuple(default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, f"must be a list of strings, got {type_name(value)}")
        for item in value:
            self._check(name, item, check)
        if len(set(value)) != len(value):
            raise self.error(name, "lists a value twice")
        return tuple(value)

    def string_map(self, name: str, key_check: Check, value_check: Check) -> dict[str, str]:
        """A table of string values (``[x.attributes]``): each key and value checked."""
        table = self.table(name, required=False)
        for key in table.raw:
            table._check(key, key, key_check)
        return {key: table.string(key, value_check) for key in table.raw}

    def table(self, name: str, *, required: bool = True) -> Table:
        value = self._get(name, required)
        return Table({} if value is MISSING else value, self.key(name), self.source, self.inherited)

    def tables(self, name: str) -> list[Table]:
        value = self._get(name, False)
        if value is MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(name, f"must be an array of tables ([[{self.key(name)}]]), got {type_name(value)}")
        return [Table(item, f"{self.key(name)}[{i}]", self.source, self.inherited) for i, item in enumerate(value)]

    # -- checks ---------------------------------------------------------------------------------------------

    def _get(self, name: str, required: bool) -> Any:
        value = self.raw.get(name, MISSING)
        if value is MISSING and required:
            raise self.error(name, "is required")
        return value

    def _check(self, name: str, value: str, check: Check) -> None:
        self._refuse_forbidden(name, value, "it")
        problem = check.problem(value) if isinstance(check, Rule) else (check(value) if check else None)
        if problem:
            raise self.error(name, problem)

    def _refuse_forbidden(self, name: str, value: str, what: str) -> None:
        character = forbidden_character(value)
        if character is not None:
            raise self.error(
                name, f"{what} contains the control or invisible character '{character}', which is never allowed"
            )
        token = cdktf_number_token(value)
        if token is not None:
            raise self.error(
                name,
                f"{what} contains {token[:40]!r}, which CDKTF reads as one of its number tokens (the synthesized "
                "stack would hold another value): write the number otherwise",
            )
