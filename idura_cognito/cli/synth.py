"""``idura-cognito synth``: validate the config, then write one CDKTF stack per environment."""

from __future__ import annotations

import argparse
import sys

from ..config import load_config
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "synth",
        help="synthesize the CDKTF stacks (cdktf.out/stacks/<env>/cdk.tf.json)",
        description="Validate the whole config, then synthesize one Terraform JSON stack per environment.",
    )
    options.add_config(parser)
    options.add_stack(parser, required=False, many=True)
    parser.add_argument("--out", metavar="DIR", help="output folder (default: $CDKTF_OUTDIR, else ./cdktf.out)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)  # validates every environment before anything is written
    names = [config.stack(name).name for name in args.stack] if args.stack else sorted(config.stacks)
    from ..stacks.app import synth  # deferred: loads the provider bindings

    outdir = synth(config, args.out, names)
    if not args.quiet:
        for name in names:
            print(f"synthesized {name} -> {outdir / 'stacks' / name / 'cdk.tf.json'}", file=sys.stderr)
    return 0
