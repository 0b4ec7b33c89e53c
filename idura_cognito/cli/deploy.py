"""``idura-cognito deploy`` / ``destroy``: `cdktf deploy|destroy` with the project's Terraform settings.

Terraform cannot delete what a data source made, so ``destroy --purge-idura`` also deletes the Idura
application and the escrow, after a confirmation (``--yes`` skips it; without a terminal it is required).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import idura_cognito

from .. import toolchain
from ..aws import aws_client, describe_aws_error
from ..config import load_config
from ..config.loader import config_path
from ..config.model import StackConfig
from ..errors import CommandError, UsageError
from . import options
from .progress import Progress

PROJECT = Path(idura_cognito.__file__).resolve().parent.parent


def register(commands: argparse._SubParsersAction) -> None:
    for verb in ("deploy", "destroy"):
        parser = commands.add_parser(
            verb,
            help=f"cdktf {verb} one environment with the project's Terraform settings",
            description=f"Run `cdktf {verb} <stack> --auto-approve` in the project with its Terraform CLI config "
            "(provider mirror when there is one, then --skip-provider-lock) and show progress. "
            + (__doc__.split("\n\n")[1] if verb == "destroy" else ""),
        )
        options.add_config(parser)
        options.add_stack(parser, required=True)
        parser.add_argument("--quiet", action="store_true", help="print only errors")
        parser.add_argument("--out", metavar="DIR", help="synth output folder (default: cdktf.out in the project)")
        if verb == "destroy":
            parser.add_argument(
                "--purge-idura", action="store_true", help="also delete the Idura application and the escrow"
            )
            parser.add_argument("--yes", action="store_true", help="do not ask before --purge-idura deletes")
        parser.set_defaults(handler=run, verb=verb)


def run(args: argparse.Namespace) -> int:
    source = config_path(args.config).resolve()
    stack = load_config(source).stack(args.stack)
    if args.verb == "destroy" and args.purge_idura and not args.yes:
        _confirm(stack)
    progress = Progress(quiet=args.quiet)
    with progress.step(f"cdktf {args.verb} {stack.name} (synth, init, {args.verb})"):
        _cdktf(args.verb, stack, source, quiet=args.quiet, out=args.out)
    if args.verb == "destroy" and args.purge_idura:
        with progress.step("deleting the Idura application and the escrow"):
            _purge(stack)
    return 0


def _cli_config() -> Path:
    """An existing TF_CLI_CONFIG_FILE is the user's choice; otherwise the project's own (mirror-aware) one."""
    given = os.environ.get("TF_CLI_CONFIG_FILE")
    if given and Path(given).is_file():
        return Path(given)
    return toolchain.write_cli_config(PROJECT / toolchain.DEFAULT_CLI_CONFIG)


def _cdktf(verb: str, stack: StackConfig, source: Path, quiet: bool, out: str | None) -> None:
    cli_config = _cli_config()
    command = ["npx", "--no-install", "cdktf", verb, stack.name, "--auto-approve"]
    if out:
        command += ["--output", str(Path(out).resolve())]
    if toolchain.is_offline(cli_config):
        command.append("--skip-provider-lock")  # `terraform providers lock` would ask the offline registry
    env = toolchain.terraform_env(cli_config) | {"IDURA_COGNITO_CONFIG": str(source)}
    live = sys.stderr.isatty() and not quiet
    process = subprocess.run(
        command,
        cwd=PROJECT,
        env=env,
        stdin=subprocess.DEVNULL,
        text=True,
        stdout=None if live else subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    if process.returncode != 0:
        tail = [] if live else [line for line in process.stdout.splitlines() if line.strip()][-15:]
        for line in tail:
            print(f"    {line}", file=sys.stderr)
        raise CommandError(f"cdktf {verb} {stack.name} failed (exit {process.returncode}); see the output above")


def _confirm(stack: StackConfig) -> None:
    what = (
        f"the Idura application {stack.idura.client_id} on {stack.idura.domain} and the escrow {stack.escrow_name}"
    )
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"--purge-idura deletes {what}; confirm with --yes when not on a terminal")
    answer = input(f"This also deletes {what}. Type the stack name ({stack.name}) to go on: ")
    if answer.strip() != stack.name:
        raise UsageError("not confirmed; nothing was deleted")


def _purge(stack: StackConfig) -> None:
    if stack.idura.managed:
        from idura_verify.management import ManagementClient, ManagementError

        try:
            client = ManagementClient.from_environment()
            app = client.find(stack.idura.domain, stack.idura.client_id)
            if app is not None:
                client.delete(stack.idura.domain, app.id)
        except ManagementError as exc:
            raise CommandError(
                f"the stack is destroyed, but the Idura application was not deleted: {exc}"
            ) from None
    secrets = aws_client("secretsmanager", stack.aws)
    try:
        secrets.delete_secret(SecretId=stack.escrow_name, ForceDeleteWithoutRecovery=True)
    except secrets.exceptions.ResourceNotFoundException:
        pass  # managed mode: Terraform already deleted it
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"the escrow {stack.escrow_name} was not deleted: {describe_aws_error(exc)}") from None
