"""The product's Terraform runner (idura_cognito/terraform.py), as the tests use it: the stand-in mirror, the
emulator's environment, every output kept in ``transcript`` so tests can search it for secrets.

There is one runner: the product's ``Terraform.run``. A run the test expects to succeed uses the product's own
``plan``/``apply``/``destroy``/``outputs`` (a failure raises with Terraform's error); a run whose failure is the
point goes through ``attempt``, which is ``run`` unchecked and returns what the test asserts on.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from idura_cognito.terraform import grant
from idura_cognito.terraform.plan_summary import summarize
from idura_cognito.terraform.runner import Terraform
from idura_verify.program import environment

#: The switch a Terraform Cloud apply run (or any run of rendered HCL) sets to let the program change Idura.
ALLOW = {environment.ALLOW_CHANGES: "true"}

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
        """The same root, in runs allowed to change Idura: rendered HCL by the switch (as a Terraform Cloud apply
        run), a CDKTF stack (which never follows the switch) by the product's own one-time grant for what a
        read-only plan of it announces, as `idura-cognito deploy` does."""
        if (self.workdir / "cdk.tf.json").is_file():
            return _Granted(self.workdir, self.env, transcript=self.transcript)
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


class _Granted(TerraformDir):
    """A CDKTF stack whose plans and applies each run under a fresh grant (terraform/grant.py) for exactly the
    Idura changes a read-only plan with the same targets announces (none announced: no grant)."""

    def run(self, *args: str, check: bool = True, stream: bool = False, record: bool = True):
        applying_a_saved_plan = args[0] == "apply" and any(a.endswith(".tfplan") and "=" not in a for a in args)
        if args[0] not in ("plan", "apply") or applying_a_saved_plan:
            return super().run(*args, check=check, stream=stream, record=record)
        work = self._announced([a for a in args if a.startswith("-target")])
        if work is None or not work.intent:
            return super().run(*args, check=check, stream=stream, record=record)
        with grant.for_one_run(work) as one_run:
            granted = TerraformDir(self.workdir, self.env | one_run, transcript=self.transcript)
            return granted.run(*args, check=check, stream=stream, record=record)

    def _announced(self, targets: list[str]):
        with tempfile.TemporaryDirectory() as folder:
            plan = Path(folder) / "review.tfplan"
            Terraform.run(self, "plan", "-input=false", *targets, f"-out={plan}")
            return summarize(json.loads(self.show_json(plan))).idura
