"""The one Terraform runner: the CLI (plan, deploy, destroy, demo, adopt) and the tests use it.

Each run gets the project's CLI config, a child environment with only what Terraform and the external program
need (terraform_environment.child_environment), and umask 077, so the state and plan files Terraform writes
(they hold the client secret) are readable by their owner only. Output is captured, and with ``stream`` also
written line by line as it arrives (CI logs show what changed). Terraform itself redacts sensitive values in
its human output.

Interrupts: Terraform saves its state on the first interrupt and abandons it on the second. It runs in a process
group of its own, so a terminal's Ctrl-C (sent to our group) does not reach it directly; this process passes
exactly one SIGINT on (the first SIGINT or SIGTERM it receives), keeps reading Terraform's output until it has
stopped (a closed pipe would kill it before it saved the state) and then raises :class:`Interrupted`. Later
signals are not passed on. Deadlines: every run has one (``DEADLINES``, or ``IDURA_COGNITO_TERRAFORM_TIMEOUT``
seconds for all); when it passes, Terraform gets the same single interrupt and :class:`TimedOut` is raised.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..errors import EXIT_INTERRUPTED, CommandError
from . import environment as terraform_environment

#: Written after a successful init, holding a digest of what init depends on: an unchanged root is not
#: initialized again (init costs seconds; "plan again with nothing changed" should not pay it).
INIT_STAMP = ".terraform/idura-cognito-init.sha256"
#: Seconds a subcommand may take before it is interrupted (it waits on the network: registry, AWS, Idura).
DEADLINES = {"init": 600.0, "plan": 1800.0, "apply": 3600.0, "destroy": 3600.0, "import": 1800.0}
DEFAULT_DEADLINE = 300.0  # output, show, version, fmt, validate, providers
DEADLINE_ENV = "IDURA_COGNITO_TERRAFORM_TIMEOUT"
#: After the deadline's interrupt, how long Terraform gets to stop gracefully before it (and its providers) is
#: killed: long for a run that writes state (it must record what it created), short for one that only reads.
GRACE_SECONDS = {"apply": 300.0, "destroy": 300.0, "import": 300.0, "state": 60.0}
DEFAULT_GRACE = 10.0


#: Subcommands that may write the state.
_WRITES_STATE = frozenset({"apply", "destroy", "import", "state", "refresh", "plan", "untaint", "taint"})


class Interrupted(CommandError):
    """Terraform was interrupted once and stopped gracefully: its state holds everything it created."""

    exit_code = EXIT_INTERRUPTED


class TimedOut(CommandError):
    """Terraform did not finish within its deadline and was interrupted."""


def deadline(subcommand: str) -> float:
    """The deadline of ``subcommand`` in seconds: ``$IDURA_COGNITO_TERRAFORM_TIMEOUT`` if set, else the default."""
    given = os.environ.get(DEADLINE_ENV, "").strip()
    if given:
        try:
            seconds = float(given)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds <= 0:
            raise CommandError(f"{DEADLINE_ENV}: must be a positive number of seconds, got {given[:20]!r}")
        return seconds
    return DEADLINES.get(subcommand, DEFAULT_DEADLINE)


class _OneInterrupt:
    """While Terraform runs: the first SIGINT/SIGTERM here, or the deadline, sends it one SIGINT; no more."""

    def __init__(self, process: subprocess.Popen, seconds: float, grace: float) -> None:
        self.process, self.seconds, self.grace = process, seconds, grace
        self.interrupted = self.timed_out = False
        self._sent = threading.Event()
        self._previous: dict[int, object] = {}
        self._timers: list[threading.Timer] = []

    def __enter__(self) -> _OneInterrupt:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._on_signal)
        self._timers.append(threading.Timer(self.seconds, self._on_deadline))
        for timer in self._timers:
            timer.daemon = True
            timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        for timer in self._timers:
            timer.cancel()
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]

    def _interrupt_once(self) -> bool:
        if self._sent.is_set():
            return False
        self._sent.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # the child only: never its group (a second interrupt)
        return True

    def _on_signal(self, _number, _frame) -> None:
        if self._interrupt_once():
            self.interrupted = True
            print(
                "\ninterrupt: Terraform is stopping gracefully and saving its state; wait for it",
                file=sys.stderr,
                flush=True,
            )
        else:
            print(
                "interrupt: Terraform is still stopping; a second interrupt would make it abandon its state, so it "
                f"is not passed on (kill -9 {self.process.pid} if you must)",
                file=sys.stderr,
                flush=True,
            )

    def _on_deadline(self) -> None:
        if self._interrupt_once():
            self.timed_out = True
            killer = threading.Timer(self.grace, self._kill)
            killer.daemon = True
            self._timers.append(killer)
            killer.start()

    def _kill(self) -> None:
        """Terraform and its providers (its process group): a provider left alive would hold the output pipe."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                self.process.kill()


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
        env = terraform_environment.terraform_env(
            cli_config or terraform_environment.write_cli_config(), terraform_environment.child_environment()
        )
        env.update(extra_env or {})
        return cls(Path(workdir), env, stream)

    def run(
        self, *args: str, check: bool = True, stream: bool = False, record: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """``terraform *args``; its output joins ``transcript`` unless ``record`` is false (output that holds the
        secret, such as ``show -json`` of a plan, is returned and never kept)."""
        command = [self.binary, *args]
        if args[0] not in ("output", "show", "fmt", "version"):
            command.append("-no-color")
        live = self.stream if stream else None
        seconds = deadline(args[0])
        process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments are ours
            command,
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if live else subprocess.PIPE,
            text=True,
            umask=0o077,
            process_group=0,  # a terminal's Ctrl-C reaches Terraform only through _OneInterrupt
        )
        with _OneInterrupt(process, seconds, GRACE_SECONDS.get(args[0], DEFAULT_GRACE)) as guard:
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
        if record:
            self.transcript += [stdout, stderr]
        if args[0] in _WRITES_STATE:
            self.tighten_state()
        done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
        if guard.interrupted:
            raise Interrupted(f"terraform {args[0]} was interrupted; Terraform stopped gracefully and saved its state")
        if guard.timed_out:
            raise TimedOut(
                f"terraform {args[0]} did not finish within {seconds:.0f} s and was stopped (it waits on the "
                f"network: check the AWS region and endpoint, credentials and connectivity; {DEADLINE_ENV} sets "
                "the deadline in seconds)"
            )
        if check and process.returncode != 0:
            raise CommandError(f"terraform {args[0]} failed in {self.workdir}: {last_error(stderr or stdout)}")
        return done

    def local_state(self) -> list[Path]:
        """The root's local state file and its backup (the backend's ``path``, or Terraform's default)."""
        path = "terraform.tfstate"
        synthesized = self.workdir / "cdk.tf.json"
        if synthesized.is_file():
            try:
                backend = json.loads(synthesized.read_text()).get("terraform", {}).get("backend", {})
                path = backend.get("local", {}).get("path", path)
            except (ValueError, AttributeError):
                pass
        versions = self.workdir / "versions.tf"
        if versions.is_file():
            found = re.search(r'backend "local" \{\s*path\s*=\s*"((?:[^"\\]|\\.)*)"', versions.read_text())
            path = found.group(1).replace('\\"', '"').replace("\\\\", "\\") if found else path
        state = self.workdir / path
        return [state, state.with_name(state.name + ".backup")]

    def tighten_state(self) -> None:
        """Owner-only state (it holds the client secret), also for a file that existed with wider permissions:
        umask 077 covers only the files Terraform creates."""
        for path in self.local_state():
            try:
                if path.is_file() and path.stat().st_mode & 0o077:
                    path.chmod(0o600)
            except OSError:
                pass

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

    def show_json(self, plan_file: Path | str) -> str:
        """``terraform show -json`` of a saved plan. It holds the secret in clear: never recorded, never printed."""
        return self.run("show", "-json", str(plan_file), record=False).stdout

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


#: Paragraphs of a diagnostic that are advice about Terraform itself, not the cause (init's provider errors).
_HINTS = ("To see which modules are currently depending on", "terraform providers")


def last_error(stderr: str) -> str:
    """Terraform's error diagnostics, each as "summary: detail" on one line (several are separated by line
    breaks): the whole message of each, without the source snippet or Terraform's hints about itself.
    Terraform wraps long text at about 78 columns; the wrapped lines are joined again."""
    text = stderr.replace("\r\n", "\n")
    if not text.startswith("Error: ") and "\nError: " not in text:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return lines[-1] if lines else "(no output)"
    blocks = text.split("\nError: ")
    if not blocks[0].startswith("Error: "):
        blocks = blocks[1:]
    return "\n".join(_diagnostic(block.removeprefix("Error: ")) for block in blocks)


def _diagnostic(block: str) -> str:
    paragraphs = [p for p in block.split("\n\n") if p.strip()]
    summary = " ".join(paragraphs[0].split()) if paragraphs else ""
    rest = paragraphs[1:]
    for index, paragraph in enumerate(rest):  # hashicorp/external: the program's own stderr, until "State:"
        if "Error Message:" in paragraph:
            message = paragraph.split("Error Message:", 1)[1]
            following = "\n\n".join(rest[index + 1 :])
            message = (message + "\n\n" + following).split("\nState:", 1)[0].split("State: exit", 1)[0]
            return f"{summary}: {' '.join(message.split())}"
    prose = [
        " ".join(p.split())
        for p in rest
        if not p.lstrip().startswith(("with ", "on "))
        and "├" not in p
        and "│" not in p
        and not p.strip().startswith(_HINTS)
    ]
    detail = " ".join(prose)
    return f"{summary}: {detail}" if detail else summary
