"""Run the terraform binary in a stack folder with the project's CLI config. Output is captured, never echoed
unless asked: Terraform itself redacts sensitive values, and we keep it that way by never using -json output
of values in messages."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import toolchain
from .errors import CommandError


@dataclass
class Terraform:
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    binary: str = "terraform"

    @classmethod
    def for_stack(cls, workdir: Path, cli_config: Path | None = None, extra_env: dict[str, str] | None = None):
        if shutil.which("terraform") is None:
            raise CommandError("terraform is not on PATH: install Terraform 1.10 or newer")
        env = toolchain.terraform_env(cli_config or toolchain.write_cli_config())
        env.update(extra_env or {})
        return cls(Path(workdir), env)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        process = subprocess.run(  # noqa: S603 - fixed binary, arguments are ours
            [self.binary, *args, "-no-color"] if args[0] not in ("output", "show") else [self.binary, *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if check and process.returncode != 0:
            raise CommandError(f"terraform {args[0]} failed in {self.workdir}: {_last_error(process.stderr)}")
        return process

    def init(self) -> None:
        self.run("init", "-input=false")

    def apply(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-input=false", "-auto-approve", *extra)

    def plan_exit_code(self, *extra: str) -> int:
        """0 no changes, 2 changes (``-detailed-exitcode``); failures raise."""
        process = self.run("plan", "-input=false", "-detailed-exitcode", *extra, check=False)
        if process.returncode not in (0, 2):
            raise CommandError(f"terraform plan failed in {self.workdir}: {_last_error(process.stderr)}")
        return process.returncode

    def destroy(self) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "-input=false", "-auto-approve")

    def outputs(self) -> dict[str, object]:
        """Non-sensitive output values (sensitive ones are left out)."""
        raw = json.loads(self.run("output", "-json").stdout or "{}")
        return {name: out["value"] for name, out in raw.items() if not out.get("sensitive")}


def _last_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("│ ")]
    errors = [line for line in lines if line.startswith(("Error:", "│ Error:"))]
    detail = (errors or lines or ["(no output)"])[-1]
    return detail.removeprefix("│ ")
