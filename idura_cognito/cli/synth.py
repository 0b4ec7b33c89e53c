"""``idura-cognito synth``: validate the config, then write one CDKTF stack per environment.

A synth whose inputs did not change since the last one reuses its output (synth_cache.py): ``--no-cache`` or
``IDURA_COGNITO_NO_SYNTH_CACHE=1`` turns that off.
"""

from __future__ import annotations

import argparse
import sys

from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "synth",
        help="synthesize the CDKTF stacks (cdktf.out/stacks/<env>/cdk.tf.json)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=False, many=True)
    parser.add_argument("--out", metavar="DIR", help="output folder (default: $CDKTF_OUTDIR, else ./cdktf.out)")
    parser.add_argument("--no-cache", action="store_true", help="synthesize even when nothing changed")
    options.add_quiet(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = options.load(args)  # validates every environment before anything is written
    names = [config.stack(name).name for name in args.stack] if args.stack else sorted(config.stacks)
    from ..stacks.synth_cache import synth

    outdir, cached = synth(config, args.out, names, use_cache=not args.no_cache)
    if not args.quiet:
        how = " (unchanged inputs: reused the last synth)" if cached else ""
        for name in names:
            print(f"synthesized {name} -> {outdir / 'stacks' / name / 'cdk.tf.json'}{how}", file=sys.stderr)
    return 0
