"""Contracts written in two places are held equal: the escrow's read logic (module and CDKTF stack)."""

from __future__ import annotations

import re

from idura_cognito.definitions.escrow import READ_LOCALS
from tests.support.paths import ROOT

MODULE = ROOT / "modules" / "idura-cognito"


def _module_locals(text: str) -> dict[str, str]:
    """``name = expression`` lines of every ``locals { }`` block (one line per local, as terraform fmt keeps them)."""
    found = {}
    for block in re.findall(r"^locals \{\n(.*?)^\}", text, re.M | re.S):
        for name, expression in re.findall(r"^  (\w+)\s*=\s*(.+)$", block, re.M):
            found[name] = expression.strip()
    return found


def test_the_stack_reads_the_escrow_with_the_module_s_expressions():
    text = (MODULE / "secret_escrow.tf").read_text()
    module = _module_locals(text)
    # The module hands the flag to its submodule inside local.escrow_state; the stack names it on its own.
    (module["escrow_has_secret"],) = re.findall(r"^    has_secret\s*=\s*(.+)$", text, re.M)
    for name, expression in READ_LOCALS.items():
        assert name in module, f"local.{name} is not in the module's secret_escrow.tf"
        assert expression == "${" + module[name] + "}", f"local.{name} differs between the stack and the module"
