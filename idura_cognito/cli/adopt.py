"""``idura-cognito adopt``: take over a login built by hand (Idura's Cognito guide) without replacing anything.

Given the pool id, it finds the pool's domain, the OIDC identity providers pointing at the stack's Idura domain
and client id, and the app client that offers them (or the one named with --app-client-name). It refuses, naming
the config lines to change, when the config differs from what exists in a way that would replace a resource.
Otherwise it stores the client secret Cognito holds into the escrow (never printing it), prints the
``[stacks.<env>.adopt]`` lines (``--write-config`` appends them to the config file), and with ``--hcl DIR``
writes DIR/imports.tf. The first plan then imports the resources and at most updates them in place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import escrow
from ..adopt import AdoptError, adopt_table, discover, mismatches
from ..aws import aws_client, describe_aws_error
from ..errors import CommandError
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "adopt",
        help="take over a hand-built Cognito + Idura login: import blocks and the escrowed secret",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    parser.add_argument("--user-pool-id", required=True, metavar="ID", help="the pool built by hand")
    parser.add_argument("--app-client-name", metavar="NAME", help="the app client (default: the one offering Idura)")
    parser.add_argument("--write-config", action="store_true", help="append the adopt table to the config file")
    parser.add_argument("--hcl", metavar="DIR", help="also write DIR/imports.tf for a rendered HCL root")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    if stack.adopt.any:
        raise CommandError(f"stacks.{stack.name}.adopt is set already: remove it to adopt again")
    cognito = aws_client("cognito-idp", stack.aws)
    try:
        found = discover(cognito, stack, args.user_pool_id, args.app_client_name)
        wrong = mismatches(stack, found)
    except AdoptError as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - botocore: one line
        raise CommandError(f"cannot read pool {args.user_pool_id}: {describe_aws_error(exc)}") from None
    if wrong:
        print(f"Change these in stacks.{stack.name} first (nothing was written):", file=sys.stderr)
        for line in wrong:
            print(f"  {line}", file=sys.stderr)
        return 1
    secret = found.secret
    if secret is None:
        raise CommandError(
            "the identity providers hold different (or no) client secrets: fix them in the console first"
        )
    secret_id = _current_secret_id(stack)
    try:
        written = escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret, secret_id=secret_id)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"cannot write the escrow {stack.escrow_name}: {describe_aws_error(exc)}") from None
    print(f"escrowed the secret Cognito holds in {written.name} (digest {escrow.digest(secret)})", file=sys.stderr)
    table = adopt_table(stack, found)
    if args.write_config:
        path = Path(config.source)
        text = path.read_text()
        path.write_text(text.rstrip("\n") + "\n\n" + table)
        print(f"appended [stacks.{stack.name}.adopt] to {path}", file=sys.stderr)
    else:
        print(f"Add to {config.source}:\n")
        print(table)
    if args.hcl:
        import dataclasses

        from ..config.model import AdoptSettings
        from ..hcl.render import render

        adopted = dataclasses.replace(stack, adopt=_settings(found, stack, AdoptSettings))
        render(adopted, Path(args.hcl), config.source)
        print(f"rendered {args.hcl} with imports.tf", file=sys.stderr)
    print(f"next: idura-cognito plan --stack {stack.name}  (imports, and at most updates in place)", file=sys.stderr)
    return 0


def _settings(found, stack, settings_type):
    return settings_type(
        user_pool_id=found.user_pool_id,
        domain=found.domain if stack.domain.kind != "existing" else None,
        identity_providers=tuple(n for n in stack.idp_names if n in found.identity_providers),
        app_client_id=found.app_client_id,
    )


def _current_secret_id(stack) -> str | None:
    """Managed mode with management credentials: Idura's id of the current secret, escrowed with it."""
    if not stack.idura.managed:
        return None
    from idura_verify.management import ManagementClient, ManagementError

    try:
        client = ManagementClient.from_environment()
        app = client.find(stack.idura.domain, stack.idura.client_id)
    except ManagementError as exc:
        raise CommandError(f"managed mode needs the application at Idura: {exc}") from None
    if app is None:
        raise CommandError(f"no application {stack.idura.client_id} on {stack.idura.domain} at Idura")
    return app.secret_id
