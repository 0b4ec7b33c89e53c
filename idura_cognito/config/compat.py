"""Config keys that were renamed or removed: read for one more release, with a warning naming what to write.

A user upgrading the tool keeps a config written for the previous release. A key renamed in release N is still
read in release N (its value moves to the new key, and the loader warns with the line to write instead) and
refused from release N+1 on, with the same advice. A removed key is ignored with a warning for one release.
Both lists name keys relative to a stack table (``domain.managed_login_version``), as the config reference does.
UPGRADING.md lists every entry; ``tests/unit/test_config_compat.py`` checks that every key of the previous
release's config reference is still read or is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Renamed:
    old: str  # dotted, relative to a stack table
    new: str
    since: str  # the release that renamed it; the old name is refused from the next one


@dataclass(frozen=True)
class Removed:
    key: str
    since: str
    why: str  # what to do instead, shown in the warning


RENAMED: tuple[Renamed, ...] = (
    # 0.3 adopted one client; 0.4 adopts every client, each by its key ([app_client] is the client "default").
    Renamed("adopt.app_client_id", "adopt.app_clients.default", "0.4"),
)
REMOVED: tuple[Removed, ...] = ()


def upgrade_table(raw: dict[str, Any], path: str, source: str, warnings: list[str]) -> dict[str, Any]:
    """A copy of one stack (or ``[defaults]``) table with renamed keys moved and removed keys dropped."""
    table = _copy(raw)
    for rename in RENAMED:
        value = _pop(table, rename.old)
        if value is _ABSENT:
            continue
        if _get(table, rename.new) is not _ABSENT:
            raise ConfigError(
                f"{path}.{rename.old}",
                f"was renamed to {rename.new} in {rename.since}, and {rename.new} is set too: keep only {rename.new}",
                source,
            )
        _put(table, rename.new, value)
        warnings.append(
            f"{source}: {path}.{rename.old}: renamed to {rename.new} in {rename.since}; the old name is read for "
            f"this release only: write {rename.new} instead"
        )
    for removed in REMOVED:
        if _pop(table, removed.key) is not _ABSENT:
            warnings.append(
                f"{source}: {path}.{removed.key}: removed in {removed.since} and ignored: {removed.why}; "
                "delete the line"
            )
    return table


_ABSENT: Any = object()


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _get(table: dict[str, Any], dotted: str) -> Any:
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def _pop(table: dict[str, Any], dotted: str) -> Any:
    *parents, last = dotted.split(".")
    node: Any = table
    for part in parents:
        if not isinstance(node, dict) or not isinstance(node.get(part), dict):
            return _ABSENT
        node = node[part]
    return node.pop(last, _ABSENT) if isinstance(node, dict) else _ABSENT


def _put(table: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = table
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
