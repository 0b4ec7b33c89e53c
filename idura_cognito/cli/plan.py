"""``idura-cognito plan``: Terraform's plan for one environment, then one summary line. Never changes anything.

The plan is read-only at Idura too: the allow-changes switch is removed from Terraform's environment even when
the caller's holds it. What a deploy would change there is listed in the summary. Secrets show as
``(sensitive value)``, as Terraform prints them. A resource the plan would create that exists outside the state
(a run cut off by a crash) is named with the ``terraform import`` that takes it back.
"""

from __future__ import annotations

import argparse
import sys

from ..terraform.runner import Interrupted
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
    try:
        with workflow.saved_plan(root) as plan:
            workflow.report(plan.summary)
            for orphan in workflow.check_orphans(root, plan.summary):
                print(f"warning: {orphan.line(root.path)}", file=sys.stderr)
    except Interrupted as exc:
        raise Interrupted(f"{exc}; nothing was changed") from None
    if args.detailed_exitcode:
        return 2 if plan.code == 2 or plan.summary.idura_work else 0
    return 0
