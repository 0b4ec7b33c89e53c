"""The one Terraform runner: the CLI (plan, deploy, destroy, demo, adopt) and the tests use it.

Each run gets the project's CLI config, a child environment with only what Terraform and the external program
need (toolchain.child_environment), and umask 077, so the state and plan files Terraform writes (they hold the
client secret) are readable by their owner only. Output is captured, and with ``stream`` also written line by
line as it arrives (CI logs show what changed). Terraform itself redacts sensitive values in its human output.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import toolchain
from .errors import CommandError

#: Written after a successful init, holding a digest of what init depends on: an unchanged root is not
#: initialized again (init costs seconds; "plan again with nothing changed" should not pay it).
INIT_STAMP = ".terraform/idura-cognito-init.sha256"


@dataclass
class Terraform:
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    stream: TextIO | None = None
    transcript: list[str] = field(default_factory=list)
    binary: str = "terraform"

    @classmethod
    def for_root(
        cls,
        workdir: Path,
        cli_config: Path | None = None,
        extra_env: dict[str, str] | None = None,
        stream: TextIO | None = None,
    ) -> Terraform:
        if shutil.which("terraform") is None:
            raise CommandError("terraform is not on PATH: install Terraform 1.10 or newer")
        env = toolchain.terraform_env(cli_config or toolchain.write_cli_config(), toolchain.child_environment())
        env.update(extra_env or {})
        return cls(Path(workdir), env, stream)

    def run(self, *args: str, check: bool = True, stream: bool = False) -> subprocess.CompletedProcess[str]:
        command = [self.binary, *args]
        if args[0] not in ("output", "show", "fmt", "version"):
            command.append("-no-color")
        live = self.stream if stream else None
        process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments are ours
            command,
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if live else subprocess.PIPE,
            text=True,
            umask=0o077,
        )
        if live is not None:
            lines = []
            for line in process.stdout:  # type: ignore[union-attr]
                lines.append(line)
                live.write(line)
                live.flush()
            process.wait()
            stdout, stderr = "".join(lines), ""
        else:
            stdout, stderr = process.communicate()
        self.transcript += [stdout, stderr]
        done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        if check and process.returncode != 0:
            raise CommandError(f"terraform {args[0]} failed in {self.workdir}: {last_error(stderr or stdout)}")
        return done

    def init(self, *extra: str) -> None:
        """``terraform init``, skipped when nothing it depends on changed since the last one."""
        stamp = self.workdir / INIT_STAMP
        digest = self._init_digest()
        if stamp.exists() and stamp.read_text() == digest and (self.workdir / ".terraform.lock.hcl").exists():
            return
        self.run("init", "-input=false", *extra)
        stamp.write_text(digest)

    def _init_digest(self) -> str:
        hasher = hashlib.sha256()
        config = self.env.get("TF_CLI_CONFIG_FILE", "")
        for path in sorted(self.workdir.glob("*.tf")) + sorted(self.workdir.glob("*.tf.json")):
            hasher.update(path.name.encode() + b"\0" + _init_relevant(path))
        modules = self.workdir / "modules"
        for path in sorted(modules.rglob("versions.tf")) if modules.is_dir() else []:
            hasher.update(str(path.relative_to(self.workdir)).encode() + path.read_bytes())
        hasher.update(config.encode() + (Path(config).read_bytes() if Path(config).is_file() else b""))
        return hasher.hexdigest()

    def plan(self, *extra: str, out: Path | None = None, stream: bool = False) -> tuple[int, str]:
        """(0 no changes or 2 changes, the plan's text), from ``-detailed-exitcode``; a failure raises."""
        args = ["plan", "-input=false", "-detailed-exitcode", *extra]
        if out is not None:
            args.append(f"-out={out}")
        process = self.run(*args, check=False, stream=stream)
        if process.returncode not in (0, 2):
            error = last_error(process.stderr or process.stdout)
            raise CommandError(f"terraform plan failed in {self.workdir}: {error}")
        return process.returncode, process.stdout

    def apply(self, *extra: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-input=false", "-auto-approve", *extra, stream=stream)

    def destroy(self, stream: bool = False) -> subprocess.CompletedProcess[str]:
        return self.run("destroy", "-input=false", "-auto-approve", stream=stream)

    def outputs(self) -> dict[str, object]:
        """Non-sensitive output values (sensitive ones are left out)."""
        raw = json.loads(self.run("output", "-json").stdout or "{}")
        return {name: out["value"] for name, out in raw.items() if not out.get("sensitive")}


def _init_relevant(path: Path) -> bytes:
    """What of a root file ``init`` depends on: the terraform block and module sources (JSON), else the file."""
    if path.suffix != ".json":
        return path.read_bytes() if path.name in ("versions.tf", "main.tf") else b""
    try:
        document = json.loads(path.read_text())
    except ValueError:
        return path.read_bytes()
    relevant = {"terraform": document.get("terraform"), "module": document.get("module")}
    return json.dumps(relevant, sort_keys=True).encode()


def last_error(stderr: str) -> str:
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
    prose = [p for p in paragraphs if not p.lstrip().startswith(("with ", "on ")) and "├" not in p and "│" not in p]
    detail = " ".join(prose[-1].split()) if prose else ""
    return f"{summary.strip()}: {detail}" if detail else summary.strip()
