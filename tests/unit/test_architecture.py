"""The layers hold: no import cycle, the runtime never imports the optional local part or the dev tools, no
symbolic links, and the packaging lists every package folder.

The import graph is read from the source (tests/support/imports.py): every import counts, at module level or
inside a function (a deferred import that closes a cycle is still a cycle a maintainer trips over). Only
``if TYPE_CHECKING:`` imports are left out: they never run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from tests.support import imports
from tests.support.imports import ROOT

#: The optional local part: stand-ins for the outside world (moto, the Idura emulator, the external stand-in,
#: the federated login), for `demo`, `local`, `emulator` and the tests. Needs the [local] extra.
LOCAL_PART = ("idura_cognito.local", "idura_verify.emulator")
#: The commands that run the local part: they import it when they run, never when the CLI starts.
LOCAL_COMMANDS = (
    "idura_cognito.cli.demo",
    "idura_cognito.cli.local",
    "idura_cognito.cli.local_register",
    "idura_cognito.cli.login",
    "idura_cognito.cli.emulator",
)


def _in(module: str, parts: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in parts)


def test_no_module_takes_part_in_an_import_cycle():
    assert imports.cycles(imports.graph(deferred=True)) == []


def test_the_graph_reader_finds_a_cycle_when_there_is_one():
    # The check above can fail: the same reader on a graph with a deferred back edge reports it.
    edges = imports.graph(deferred=True)
    edges["idura_cognito.stacks.synth_cache"] = edges["idura_cognito.stacks.synth_cache"] | {"idura_cognito.stacks.app"}
    edges["idura_cognito.stacks.app"] = edges["idura_cognito.stacks.app"] | {"idura_cognito.stacks.synth_cache"}
    assert ["idura_cognito.stacks.app", "idura_cognito.stacks.synth_cache"] in imports.cycles(edges)


def test_the_runtime_never_imports_the_local_part_the_dev_tools_or_the_tests():
    known = imports.modules()
    wrong = []
    for module in known:
        if _in(module, LOCAL_PART) or module.startswith("devtools"):
            continue
        for found in imports.imports_of(module, known):
            if module in LOCAL_COMMANDS and _in(found.target, LOCAL_PART) and found.deferred:
                continue  # the command's own run
            if _in(found.target, LOCAL_PART) or found.target.startswith("devtools"):
                wrong.append(f"{module}:{found.line} imports {found.target}")
    assert wrong == []
    for path in (ROOT / "idura_cognito").rglob("*.py"):
        assert "from tests" not in path.read_text() and "import tests" not in path.read_text(), path


def test_starting_the_cli_and_building_a_stack_load_no_local_part():
    """At run time too: the CLI with every command registered, the renderer, the synth and the doctor."""
    program = (
        "import sys, json\n"
        "import idura_cognito.cli.main, idura_cognito.hcl.render, idura_cognito.stacks.app\n"
        "import idura_cognito.doctor.run, idura_cognito.adopt\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT, env=env
        ).stdout
    )
    assert "idura_cognito.stacks.stack" in loaded  # it did import the runtime
    assert [m for m in loaded if _in(m, LOCAL_PART) or m.startswith(("devtools", "tests", "moto", "starlette"))] == []


def test_the_repository_holds_no_symbolic_link():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "-s"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert [line for line in listed.stdout.splitlines() if line.startswith("120000")] == []


def test_the_packaging_lists_every_package_folder():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        f"{name}.{path.parent.relative_to(base).as_posix().replace('/', '.')}".rstrip(".")
        for name, base in imports.PACKAGES.items()
        if name != "devtools"  # a development tool: not shipped
        for path in base.rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert set(setuptools["packages"]) == folders | {"idura_cognito.terraform_module"}
    assert setuptools["package-dir"] == {
        "idura_verify": "providers/idura_verify",
        "idura_cognito.terraform_module": "modules/idura-cognito",
    }
