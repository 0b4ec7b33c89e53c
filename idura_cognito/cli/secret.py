"""``idura-cognito secret put``: escrow a hand-registered application's client secret. Never prints it."""

from __future__ import annotations

import argparse
import getpass
import sys

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..errors import CommandError, UsageError
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "secret",
        help="manage the escrowed Idura client secret",
        description="Manage the escrowed Idura client secret.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, handler, help_text, description in (
        (
            "put",
            run_put,
            "store the client secret (read from stdin, or typed without echo)",
            "Store the Idura client secret of a hand-registered application in the stack's escrow "
            "(AWS Secrets Manager). Reads standard input; on a terminal it prompts without echo. An escrow "
            "scheduled for deletion is restored first.",
        ),
        (
            "rotate",
            run_rotate,
            "managed mode: ask Idura for a new secret and escrow it",
            "Managed mode: ask Idura for a new client secret (the old one stops working at once) and "
            "write it, with Idura's id of it, into the escrow in one write. The next apply carries it to Cognito; "
            "logins fail until then.",
        ),
        (
            "status",
            run_status,
            "does the escrow exist, when did it change, a short digest",
            "Show whether the escrow exists, when it last changed and a short digest of the secret (never the secret).",
        ),
    ):
        action = actions.add_parser(name, help=help_text, description=description)
        options.add_config(action)
        options.add_stack(action, required=True)
        action.set_defaults(handler=handler)


def run_put(args: argparse.Namespace) -> int:
    _, stack = options.load_stack(args)
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


def run_rotate(args: argparse.Namespace) -> int:
    _, stack = options.load_stack(args)
    if not stack.idura.managed:
        raise UsageError(
            f"stack {stack.name} is hand-registered: issue a new secret in Idura's dashboard, then "
            f"`{stack.secret_put_command()}`"
        )
    from idura_verify.management import ManagementClient, ManagementError

    try:
        client = ManagementClient.from_environment()
        app = client.find(stack.idura.domain, stack.idura.client_id)
        if app is None:
            raise CommandError(f"no application {stack.idura.client_id} on {stack.idura.domain}: apply the stack first")
        secret, secret_id = client.rotate_secret(stack.idura.domain, app)
    except ManagementError as exc:
        raise CommandError(str(exc)) from None
    try:
        written = escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret, secret_id=secret_id)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(
            f"Idura issued a new secret but the escrow could not be written ({describe_aws_error(exc)}); the "
            "escrow still holds the old secret with the old id, so the next allowed run notices and rotates again"
        ) from None
    print(
        f"rotated: Idura issued a new secret for {stack.idura.client_id}; escrow {written.name} updated "
        f"(digest {escrow.digest(secret)})",
        file=sys.stderr,
    )
    print("next: apply the stack to carry it to Cognito; logins through Idura fail until then", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    _, stack = options.load_stack(args)
    try:
        state = escrow.status(aws_client("secretsmanager", stack.aws), stack)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"cannot read escrow {stack.escrow_name!r}: {describe_aws_error(exc)}") from None
    if state.scheduled_deletion is not None:
        print(
            f"escrow {state.name}: scheduled for deletion since {state.scheduled_deletion:%Y-%m-%d %H:%M UTC} (not "
            f"missing; nothing rotates because of it): restore it with `{escrow.restore_command(state.name)}`"
        )
        return 1
    if not state.exists:
        fix = "apply the stack" if stack.idura.managed else f"`{stack.secret_put_command()}`"
        print(f"escrow {state.name}: missing ({fix})")
        return 1
    when = state.last_changed.strftime("%Y-%m-%d %H:%M:%S UTC") if state.last_changed else "unknown"
    held = f", Idura secret id {state.secret_id}" if state.secret_id else ""
    print(f"escrow {state.name}: present, last changed {when}, digest {state.digest}{held}")
    return 0
