"""``idura-cognito hcl``: render environments as self-contained Terraform root configurations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "hcl",
        help="render readable HCL for one environment (module + program included)",
        description="Render a self-contained Terraform root configuration for one environment: versions and "
        "backend (local, S3 or Terraform Cloud), the AWS provider, the idura-cognito module call, moved blocks from "
        "the CDKTF stack's addresses, outputs, and the module itself with the external program (managed mode) "
        "inside OUT. Deterministic: rendering again changes no file unless the config changed. Every file is "
        "produced before any is written: an incomplete installation writes nothing.",
    )
    options.add_config(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--stack", metavar="ENV", help="environment name from the config")
    which.add_argument("--all", action="store_true", help="every environment, each into OUT/<env>")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write (created if missing)")
    options.add_quiet(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = options.load(args)
    from ..hcl.render import render

    out = Path(args.out)
    targets = (
        [(config.stack(args.stack), out)] if args.stack else [(s, out / n) for n, s in sorted(config.stacks.items())]
    )
    if not targets:
        raise UsageError("the config defines no environment")
    for stack, folder in targets:
        written, unchanged = render(stack, folder, config.source)
        if not args.quiet:
            print(
                f"rendered stack {stack.name} into {folder}: {len(written)} written, {len(unchanged)} unchanged",
                file=sys.stderr,
            )
            for name in written:
                print(f"  wrote {name}", file=sys.stderr)
    return 0
