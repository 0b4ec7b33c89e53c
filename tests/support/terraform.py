"""The product's Terraform runner, as the tests use it: the stand-in mirror, the emulator's environment, every
output kept in ``transcript`` so tests can search it for secrets."""

from __future__ import annotations

import json
from pathlib import Path

from idura_cognito.cli.workflow import allow_idura_changes
from idura_cognito.terraform import Terraform

ALLOW = allow_idura_changes()  # the switch the product's own deploy sets


class TerraformDir(Terraform):
    @classmethod
    def at(cls, workdir: Path, cli_config: Path, env: dict[str, str] | None = None) -> TerraformDir:
        runner = cls.for_root(workdir, cli_config, extra_env=env)
        return cls(runner.workdir, runner.env)

    def allowed(self) -> TerraformDir:
        """The same root, in a run allowed to change Idura (as `idura-cognito deploy` applies)."""
        return TerraformDir(self.workdir, self.env | ALLOW, transcript=self.transcript)

    def plan_code(self, *extra: str) -> tuple[int, str]:
        """(exit code, output) of a plan with -detailed-exitcode, failures included."""
        process = self.run("plan", "-input=false", "-detailed-exitcode", *extra, check=False)
        return process.returncode, process.stdout + process.stderr

    def apply_code(self, *extra: str) -> tuple[int, str]:
        process = self.run("apply", "-input=false", "-auto-approve", *extra, check=False)
        return process.returncode, process.stdout + process.stderr

    def all_outputs(self) -> dict:
        raw = json.loads(self.run("output", "-json").stdout)
        return {name: value["value"] for name, value in raw.items()}

    def state(self) -> dict:
        return json.loads(self.run("show", "-json").stdout)

    def text(self) -> str:
        return "\n".join(self.transcript)
