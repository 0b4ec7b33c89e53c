"""What plan, deploy and destroy share: the root to run in, the runner, a reviewed plan, the confirmation.

A root is the synthesized CDKTF stack (``cdktf.out/stacks/<env>``, synthesized first) or a rendered HCL folder
(``--hcl DIR``). Everything is relative to the folder the command runs in; nothing is read from or written to
the install location.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from idura_verify import environment

from .. import escrow, toolchain
from ..aws import aws_client
from ..config import ProjectConfig, StackConfig
from ..errors import CommandError, UsageError
from ..plan_summary import PlanSummary, summarize
from ..terraform import Terraform
from .progress import Progress

PLANS_DIR = Path(".idura-cognito") / "plans"


def add_root_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hcl", metavar="DIR", help="a rendered HCL root (`idura-cognito hcl`) instead of CDKTF")
    parser.add_argument("--out", metavar="DIR", help="synth output folder (default: $CDKTF_OUTDIR or ./cdktf.out)")
    parser.add_argument("--no-cache", action="store_true", help="synthesize even when nothing changed")


def cli_config() -> Path:
    """An existing TF_CLI_CONFIG_FILE is the user's choice; otherwise the project's own (mirror-aware) one."""
    given = os.environ.get("TF_CLI_CONFIG_FILE")
    if given and Path(given).is_file():
        return Path(given).resolve()
    return toolchain.write_cli_config(toolchain.DEFAULT_CLI_CONFIG)


@dataclass
class Root:
    stack: StackConfig
    path: Path
    terraform: Terraform


def prepare(args: argparse.Namespace, config: ProjectConfig, stack: StackConfig, progress: Progress) -> Root:
    """Synthesize (or take the rendered folder), check the escrow is not scheduled for deletion, init."""
    if args.hcl:
        path = Path(args.hcl)
        if not (path / "main.tf").is_file():
            raise UsageError(
                f"--hcl {args.hcl}: no main.tf there; render it with `idura-cognito hcl --stack "
                f"{stack.name} --out {args.hcl}`"
            )
    else:
        from ..synth_cache import synth

        with progress.step(f"synthesizing stack {stack.name}"):
            outdir, _ = synth(config, args.out, [stack.name], use_cache=not args.no_cache)
        path = outdir / "stacks" / stack.name
    terraform = Terraform.for_root(path, cli_config(), stream=sys.stdout)
    with progress.step("terraform init"):
        terraform.init()
    return Root(stack, path, terraform)


def refuse_scheduled_deletion(stack: StackConfig) -> None:
    """An escrow scheduled for deletion is not missing: say so, and that nothing will rotate because of it.

    Called only when a plan would create the escrow (or finds none), so a steady-state plan makes no AWS call.
    """
    try:
        state = escrow.status(aws_client("secretsmanager", stack.aws), stack)
    except Exception:  # noqa: BLE001 - no credentials or network here: Terraform reports that itself
        return
    if state.scheduled_deletion is not None:
        raise CommandError(
            f"the escrow {state.name} is scheduled for deletion (since {state.scheduled_deletion:%Y-%m-%d}); it is "
            "not missing, and nothing is rotated because of it: restore it with "
            f"`{escrow.restore_command(state.name)}` and run again"
        )


@contextlib.contextmanager
def saved_plan(root: Root, *extra: str) -> Iterator[tuple[int, Path, PlanSummary]]:
    """A read-only plan saved to a file (mode 0600, deleted afterwards: it holds the secret), streamed."""
    plans = root.path / PLANS_DIR
    plans.mkdir(parents=True, exist_ok=True, mode=0o700)
    plan_file = plans / f"{root.stack.name}-{os.getpid()}.tfplan"
    try:
        try:
            code, text = root.terraform.plan(*extra, out=plan_file.resolve(), stream=True)
        except CommandError:
            refuse_scheduled_deletion(root.stack)  # "no escrow" may be a deleted one: say which
            raise
        summary = summarize(text)
        if summary.creates_escrow:
            refuse_scheduled_deletion(root.stack)
        yield code, plan_file.resolve(), summary
    finally:
        plan_file.unlink(missing_ok=True)


def report(summary: PlanSummary) -> None:
    for line in summary.warnings():
        print(line, file=sys.stderr)
    print(f"Summary: {summary.line()}", file=sys.stderr)


def confirm(what: str, stack: StackConfig, auto_approve: bool) -> None:
    if auto_approve:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(
            f"{what} asks before changing anything: run it on a terminal, or pass --auto-approve in "
            "automation after reviewing the plan above"
        )
    answer = input(f"{what.capitalize()} stack {stack.name} as planned above? Only 'yes' goes on: ")
    if answer.strip() != "yes":
        raise UsageError("not confirmed; nothing was changed")


def allow_idura_changes() -> dict[str, str]:
    """The switch for a run that may change Idura (only the apply of a confirmed deploy sets it)."""
    return {environment.ALLOW_CHANGES: "true"}
