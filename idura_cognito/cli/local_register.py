"""``idura-cognito local register --stack ENV``: the local trial's stand-in for Idura's dashboard.

Against Idura a person registers a hand-registered stack's application in the dashboard: its client id, a name,
the redirect URL the stack's ``idura_redirect_url`` output names, the OAuth2 code flow (which shows the client
secret once) and the user info strategy plainJson. Then ``secret put`` escrows the secret. This command does
those clicks at the local Idura emulator (``idura-cognito local``; load its env.sh first) for the stack's own
client id and redirect URL, and hands the secret shown once to standard output for ``secret put``:

    idura-cognito local register --stack dev | idura-cognito secret put --stack dev

It refuses to write the secret to a terminal (where it would stay on screen and in scroll-back): the pipe is the
copy. Nothing is registered when it refuses.
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

from idura_verify.program import environment

from ..errors import CommandError, UsageError
from . import options


def add_to(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "register",
        help="register a hand-registered stack's application at the local Idura emulator (the dashboard's steps)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    parser.add_argument("--name", metavar="TEXT", help="the application's name (default: the stack's)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, stack = options.load_stack(args)
    if stack.idura.managed:
        raise UsageError(
            f'stack {stack.name!r} is managed (idura.secret_source = "managed"): `idura-cognito deploy --stack '
            f"{stack.name}` registers its application itself; local register is for a hand-registered stack"
        )
    url, token = os.environ.get(environment.MANAGEMENT_URL), os.environ.get(environment.MANAGEMENT_TOKEN)
    if not url or not token:
        raise UsageError(
            f"no local Idura emulator in this shell: start `idura-cognito local` and load its env.sh "
            f"({environment.MANAGEMENT_URL} and {environment.MANAGEMENT_TOKEN} are not set)"
        )
    emulator = urlsplit(url).netloc
    if stack.idura.domain != emulator or urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise UsageError(
            f"stacks.{stack.name}.idura.domain is {stack.idura.domain!r}, not the local emulator's {emulator!r}: "
            "against Idura itself, register the application in Idura's dashboard"
        )
    if sys.stdout.isatty():
        raise UsageError(
            "the client secret is shown once and never on a terminal: pipe it into secret put, "
            f"`idura-cognito local register --stack {stack.name} | idura-cognito secret put --stack {stack.name}`"
        )
    from ..local.dashboard import DashboardError, register

    name = args.name or stack.idura.application_name or f"{stack.name} (idura-cognito)"
    try:
        secret = register(
            f"https://{emulator}",
            token,
            stack.idura.client_id,
            name,
            [stack.redirect_url],
            ca_file=os.environ.get(environment.CA_BUNDLE) or None,
        )
    except DashboardError as exc:
        raise CommandError(str(exc)) from None
    sys.stdout.write(secret + "\n")
    sys.stdout.flush()
    print(
        f"Registered {stack.idura.client_id} at the local Idura emulator ({emulator}) with the redirect URL "
        f"{stack.redirect_url}; its client secret went to standard output, once.",
        file=sys.stderr,
    )
    return 0
