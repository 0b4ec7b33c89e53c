"""Entry point: parse arguments, run one command, turn errors into one line and an exit code.

Exit codes: 0 ok; 1 an operation failed; 2 bad usage or bad configuration. Tracebacks only with --debug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from ..config import ConfigError
from ..errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, CommandError
from ..terraform.runner import Interrupted
from . import adopt, demo, deploy, doctor, emulator, hcl, init, local, login, plan, program, secret, synth, terraformrc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="idura-cognito",
        description="AWS Cognito federated with Idura Verify, as code.",
        epilog="Exit codes: 0 ok, 1 operation failed, 2 bad usage or configuration.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--version", action="version", version=f"idura-cognito {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands_in_help_order = (init, synth, hcl, plan, deploy, adopt, doctor, secret, login, program, demo, local)
    for command in (*commands_in_help_order, emulator, terraformrc):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # jsii prints a large end-of-life banner for node 20 on every run unless told not to.
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    try:
        return args.handler(args) or 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        print(f"interrupted: {exc}", file=sys.stderr)
        _exit_now(EXIT_INTERRUPTED)
    except CommandError as exc:
        print(f"error: {_indent(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        _exit_now(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if args.debug:
            raise
        print(f"error: unexpected {exc.__class__.__name__}; rerun with --debug for details", file=sys.stderr)
        return EXIT_FAILURE


def _indent(message: str) -> str:
    """A message of several lines (Terraform's diagnostics, one per line) under its first."""
    return message.replace("\n", "\n  ")


def _exit_now(code: int) -> NoReturn:
    """Exit without the interpreter's exit handlers: the same Ctrl-C that reached us ended jsii's node process
    too, and its handler would print a BrokenPipeError traceback trying to say goodbye to it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
