"""The product's Terraform runner (idura_cognito/terraform.py), as the tests use it: the stand-in mirror, the
emulator's environment, every output kept in ``transcript`` so tests can search it for secrets.

There is one runner: the product's ``Terraform.run``. A run the test expects to succeed uses the product's own
``plan``/``apply``/``destroy``/``outputs`` (a failure raises with Terraform's error); a run whose failure is the
point goes through ``attempt``, which is ``run`` unchecked and returns what the test asserts on.
"""

from __future__ import annotations

import json
from pathlib import Path

from idura_cognito.cli.workflow import allow_idura_changes
from idura_cognito.terraform.runner import Terraform

ALLOW = allow_idura_changes()  # the switch the product's own deploy sets

#: The arguments the product's plan, apply and destroy use, for ``attempt``.
PLAN = ("plan", "-input=false", "-detailed-exitcode")
APPLY = ("apply", "-input=false", "-auto-approve")
DESTROY = ("destroy", "-input=false", "-auto-approve")


class TerraformDir(Terraform):
    @classmethod
    def at(cls, workdir: Path, cli_config: Path, env: dict[str, str] | None = None) -> TerraformDir:
        runner = cls.for_root(workdir, cli_config, extra_env=env)
        return cls(runner.workdir, runner.env)

    def allowed(self) -> TerraformDir:
        """The same root, in a run allowed to change Idura (as `idura-cognito deploy` applies)."""
        return TerraformDir(self.workdir, self.env | ALLOW, transcript=self.transcript)

    def attempt(self, *args: str) -> tuple[int, str]:
        """(exit code, stdout + stderr) of ``terraform *args`` through the product's runner, a failure included
        (e.g. ``attempt(*PLAN)``: 0 no changes, 2 changes, 1 failed)."""
        process = self.run(*args, check=False)
        return process.returncode, process.stdout + process.stderr

    def all_outputs(self) -> dict:
        """Every output value, the sensitive ones included (``outputs()`` leaves those out)."""
        raw = json.loads(self.run("output", "-json").stdout)
        return {name: value["value"] for name, value in raw.items()}

    def text(self) -> str:
        return "\n".join(self.transcript)
