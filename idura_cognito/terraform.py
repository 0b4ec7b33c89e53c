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

    def outputs(self) -> dict[str, object]:
        """Non-sensitive output values (sensitive ones are left out)."""
        raw = json.loads(self.run("output", "-json").stdout or "{}")
        return {name: out["value"] for name, out in raw.items() if not out.get("sensitive")}


def _last_error(stderr: str) -> str:
    """One line from Terraform's last diagnostic: its summary and its message (not the source snippet)."""
    blocks = stderr.split("\nError: ")
    if len(blocks) == 1 and not stderr.startswith("Error: "):
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        return lines[-1] if lines else "(no output)"
    summary, _, rest = blocks[-1].removeprefix("Error: ").partition("\n")
    paragraphs = [p for p in rest.split("\n\n") if p.strip()]
    detail_lines = [line.strip() for p in paragraphs for line in p.splitlines()]
    for line in detail_lines:
        if line.startswith("Error Message:"):  # hashicorp/external: the program's own stderr
            return f"{summary.strip()}: {line.removeprefix('Error Message:').strip()}"
    prose = [
        p for p in paragraphs if not p.lstrip().startswith(("with ", "on ")) and "├" not in p and "│" not in p
    ]
    detail = " ".join(prose[-1].split()) if prose else ""
    return f"{summary.strip()}: {detail}" if detail else summary.strip()
