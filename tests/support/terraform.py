"""Run the real terraform binary for tests, keeping every stdout/stderr so tests can search them for secrets."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from idura_cognito import toolchain


@dataclass
class TerraformDir:
    workdir: Path
    cli_config: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = toolchain.terraform_env(self.cli_config, {**os.environ, **self.extra_env})
        process = subprocess.run(
            ["terraform", *args], cwd=self.workdir, env=env, capture_output=True, text=True, timeout=600
        )
        self.transcript += [process.stdout, process.stderr]
        if check and process.returncode != 0:
            raise AssertionError(f"terraform {' '.join(args)} failed ({process.returncode}):\n{process.stderr}")
        return process

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def plan_exit_code(self, *extra: str) -> tuple[int, str]:
        process = self.run("plan", "-input=false", "-no-color", "-detailed-exitcode", *extra, check=False)
        return process.returncode, process.stdout + process.stderr

    def outputs(self) -> dict:
        raw = json.loads(self.run("output", "-json").stdout)
        return {name: value["value"] for name, value in raw.items()}

    def show_state(self) -> dict:
        return json.loads(self.run("show", "-json").stdout)
