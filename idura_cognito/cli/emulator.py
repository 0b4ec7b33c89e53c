"""``idura-cognito emulator``: run the local Idura emulator in the foreground (Ctrl-C or SIGTERM stops it)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "emulator",
        help="run the local Idura emulator (management API + OIDC) in the foreground",
        description="Run the local Idura emulator on 127.0.0.1: the management API of "
        "docs/idura-management-api.md under /management/v1 (bearer token) and the OIDC side of an Idura domain "
        "(localhost:PORT). Test controls live under /_emulator (faults, request log, test user).",
    )
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throwaway CA (writes ca.pem)")
    parser.add_argument("--cert-dir", default=".idura-emulator", help="where --tls writes ca.pem")
    parser.add_argument("--token", help="management bearer token (default: $IDURA_EMULATOR_TOKEN)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .. import extras

    extras.require("local", "emulator")
    from idura_verify.emulator.__main__ import main

    from ..local.processes import stop_on_signals

    argv = ["--port", str(args.port), "--cert-dir", args.cert_dir]
    argv += ["--tls"] if args.tls else []
    argv += ["--token", args.token] if args.token else []
    # uvicorn stops on SIGINT and SIGTERM, then raises the signal again for the handler it found: this one, so
    # either signal (also one that arrives while the emulator starts) ends the command with 0, as `local` does.
    with stop_on_signals():
        return main(argv)
    return 0
