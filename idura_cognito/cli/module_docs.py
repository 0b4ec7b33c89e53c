"""``idura-cognito module-docs``: regenerate the module README's inputs and outputs tables."""

from __future__ import annotations

import argparse
import sys

from ..errors import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "module-docs",
        help="regenerate modules/idura-cognito/README.md from variables.tf and outputs.tf",
        description="Regenerate the module README's inputs and outputs tables from the module (Jinja2).",
    )
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the README has drifted")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..hcl.module_docs import README, write_readme

    if write_readme(check=args.check):
        print(f"{README} is up to date", file=sys.stderr)
        return 0
    if args.check:
        raise CommandError(f"{README} has drifted from the module: run `idura-cognito module-docs`")
    print(f"wrote {README}", file=sys.stderr)
    return 0
