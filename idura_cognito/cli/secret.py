"""``idura-cognito secret put``: escrow a hand-registered application's client secret. Never prints it."""

from __future__ import annotations

import argparse
import getpass
import sys

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..config import load_config
from ..errors import CommandError, UsageError
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "secret",
        help="manage the escrowed Idura client secret",
        description="Manage the escrowed Idura client secret.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    put = actions.add_parser(
        "put",
        help="store the client secret (read from stdin, or typed without echo)",
        description="Store the Idura client secret of a hand-registered application in the stack's escrow "
        "(AWS Secrets Manager). Reads standard input; on a terminal it prompts without echo.",
    )
    options.add_config(put)
    options.add_stack(put, required=True)
    put.set_defaults(handler=run_put)


def run_put(args: argparse.Namespace) -> int:
    stack = load_config(args.config).stack(args.stack)
    try:
        secret = escrow.check_secret(_read_secret())
    except escrow.SecretInputError as exc:
        raise UsageError(f"{exc}; pipe it in, e.g. `pbpaste | {stack.secret_put_command()}`") from None
    try:
        written = escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret)
    except Exception as exc:  # botocore errors: report one line, never the request
        raise CommandError(f"cannot write escrow {stack.escrow_name!r}: {describe_aws_error(exc)}") from None
    verb = "created" if written.created else "updated"
    print(f"{verb} escrow {written.name} (version {written.version_id}) for stack {stack.name}", file=sys.stderr)
    print("next: terraform plan/apply (or `make deploy`) carries it to Cognito", file=sys.stderr)
    return 0


def _read_secret() -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        return getpass.getpass("Idura client secret (input hidden): ")
    return sys.stdin.read()
