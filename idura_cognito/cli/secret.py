"""``idura-cognito secret put|rotate|status``: the escrowed client secret. Never prints it.

``put`` stores a hand-registered application's secret (stdin). A managed stack's secret is issued and escrowed
by deploy together with Idura's id of it; a secret put by hand would have no id, so ``put`` refuses a managed
stack unless ``--from-cognito``: that escrows the secret Cognito's identity provider holds, once Idura's token
endpoint has accepted it (and, managed, with Idura's id of the current secret), the way back when the escrow
is the broken link and Cognito's copy works.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..errors import CommandError, UsageError
from . import options, workflow


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
        if name == "put":
            action.add_argument(
                "--from-cognito",
                action="store_true",
                help="escrow the secret Cognito's identity provider holds, after Idura has accepted it",
            )
            workflow.add_root_options(action)
        action.set_defaults(handler=handler)


def run_put(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    if args.from_cognito:
        return _put_from_cognito(args, config, stack)
    if stack.idura.managed:
        raise UsageError(
            f"stack {stack.name} is managed: deploy issues its secret and escrows it with Idura's id of it, and a "
            "secret put by hand would have none (the next deploy would replace it). For a new secret: "
            f"`idura-cognito secret rotate --stack {stack.name}`; to escrow the one Cognito holds: "
            f"`idura-cognito secret put --stack {stack.name} --from-cognito`"
        )
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
    print(f"next: `{options.deploy_command(args, stack)}` carries it to Cognito", file=sys.stderr)
    return 0


def _put_from_cognito(args: argparse.Namespace, config, stack) -> int:
    """Escrow the secret the stack's Idura identity provider holds, once Idura has accepted it (managed: with
    Idura's id of it, read before and after the check, never in a second look that a rotation could overtake)."""
    from idura_verify.program.management import ManagementClient, ManagementError

    pool_id = stack.user_pool.existing_id or workflow.deployed_ids(args, config, stack).user_pool_id
    if pool_id is None:
        raise CommandError(f"stack {stack.name} has no user pool in its state: deploy it first")
    cognito = aws_client("cognito-idp", stack.aws)
    try:
        provider = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=stack.identity_provider.name)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(
            f"cannot read the Cognito identity provider {stack.identity_provider.name!r}: {describe_aws_error(exc)}"
        ) from None
    details = provider["IdentityProvider"]["ProviderDetails"]
    secret = details.get("client_secret", "")
    if not secret or details.get("oidc_issuer") != stack.idura.issuer:
        raise CommandError(
            f"the Cognito identity provider {stack.identity_provider.name!r} holds no secret for {stack.idura.issuer}"
        )
    try:
        management = ManagementClient.from_environment() if stack.idura.managed else None
        try:
            proof = escrow.prove(stack, secret, management)
        finally:
            if management is not None:
                management.close()
    except ManagementError as exc:
        raise CommandError(f"Idura's id of the current secret could not be read: {exc}") from None
    if proof.verdict != "accepted":
        raise CommandError(
            "Idura does not accept the secret Cognito holds either (" + proof.verdict.split(":")[0] + "): nothing "
            "was escrowed. "
            + (
                f"`idura-cognito secret rotate --stack {stack.name}` issues a new one"
                if stack.idura.managed
                else "issue a new one in Idura's dashboard and `" + stack.secret_put_command() + "` it"
            )
        )
    if stack.idura.managed and proof.secret_id is None:
        raise CommandError(f"{proof.why_no_id}: nothing was escrowed; run the command again")
    try:
        written = escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret, secret_id=proof.secret_id)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"cannot write escrow {stack.escrow_name!r}: {describe_aws_error(exc)}") from None
    print(
        f"escrowed the secret Cognito holds (Idura accepts it) in {written.name} (digest {escrow.digest(secret)})",
        file=sys.stderr,
    )
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
    from idura_verify.program.management import ManagementClient, ManagementError

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
    print(
        f"next: `{options.deploy_command(args, stack)}` carries it to Cognito; logins through Idura fail until then",
        file=sys.stderr,
    )
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
