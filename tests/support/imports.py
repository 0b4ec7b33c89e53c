"""The project's import graph from its source (AST): every import, at module level or inside a function."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Import name -> source folder (each package in the folder of its name).
PACKAGES = {
    "idura_cognito": ROOT / "idura_cognito",
    "idura_verify": ROOT / "providers" / "idura_verify",
    "devtools": ROOT / "devtools",
}


@dataclass(frozen=True)
class Import:
    target: str  # a module of the project
    line: int
    deferred: bool  # inside a function: runs only when the function does


def modules() -> dict[str, Path]:
    found = {}
    for name, base in PACKAGES.items():
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = [name, *path.relative_to(base).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(module: str, known: dict[str, Path]) -> list[Import]:
    path = known[module]
    tree = ast.parse(path.read_text(), str(path))
    result = []
    for node, deferred in _walk(tree, deferred=False):
        for target in _targets(module, path, node, known):
            result.append(Import(target, node.lineno, deferred))
    return result


def graph(deferred: bool = True) -> dict[str, set[str]]:
    known = modules()
    return {m: {i.target for i in imports_of(m, known) if deferred or not i.deferred} for m in known}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _walk(node: ast.AST, deferred: bool):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, deferred
        inner = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            continue  # `if TYPE_CHECKING:` imports never run
        yield from _walk(child, inner)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(module: str, path: Path, node: ast.AST, known: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        return [_owning(name, known) for name in names if _owning(name, known)]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    found = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
    if len(found) < len(node.names) and _owning(base, known):
        found.append(_owning(base, known))
    return found


def _owning(name: str, known: dict[str, Path]) -> str | None:
    """The project module an import name refers to (``a.b.c`` -> the longest known prefix)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None
