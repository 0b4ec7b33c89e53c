"""``idura-cognito hcl``: render one environment as a self-contained Terraform root configuration."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import load_config
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "hcl",
        help="render readable HCL for one environment (module + program included)",
        description="Render a self-contained Terraform root configuration for one environment: versions and "
        "backend (local, S3 or Terraform Cloud), the AWS provider, the idura-cognito module call, outputs, and "
        "the module itself with the external program (managed mode) inside OUT. Deterministic: rendering again "
        "changes no file unless the config changed.",
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write (created if missing)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    stack = config.stack(args.stack)
    from ..hcl.render import render

    written, unchanged = render(stack, Path(args.out), config.source)
    if not args.quiet:
        print(
            f"rendered stack {stack.name} into {args.out}: {len(written)} written, {len(unchanged)} unchanged",
            file=sys.stderr,
        )
        for name in written:
            print(f"  wrote {name}", file=sys.stderr)
    return 0
