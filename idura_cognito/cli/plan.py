"""``idura-cognito plan``: Terraform's plan for one environment, then one summary line. Never changes anything.

The plan is read-only at Idura too (the allow-changes switch is not set): what a deploy would change there is
listed in the summary. Secrets show as ``(sensitive value)``, as Terraform prints them.
"""

from __future__ import annotations

import argparse

from . import options, workflow
from .progress import Progress


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "plan",
        help="show what a deploy would change (Terraform's plan and a summary); changes nothing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    workflow.add_root_options(parser)
    parser.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="as Terraform: exit 0 when nothing would change, 2 when something would, 1 on errors",
    )
    options.add_quiet(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    root = workflow.prepare(args, config, stack, Progress(quiet=args.quiet))
    with workflow.saved_plan(root) as (code, _, summary):
        workflow.report(summary)
    if args.detailed_exitcode:
        return 2 if code == 2 or summary.idura_work else 0
    return 0
