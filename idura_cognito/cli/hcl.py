"""``idura-cognito hcl``: render environments as Terraform root configurations, or check that they are current.

``--stack ENV --out DIR`` writes the root into DIR; it shares the module of ``DIR/../modules/idura-cognito`` when
that exists (a repository of several roots), else DIR carries its own copy. ``--all --out DIR`` writes one root
per environment into ``DIR/<env>`` and the module once, into ``DIR/modules/idura-cognito``. Everything is text
(the external program as readable Python source), the same bytes on every machine, with a .gitignore for what
must never be committed. ``--check`` writes nothing: it exits 1 naming every file that is not what this config
and this version would render (missing, changed, or left by an earlier release), 0 otherwise.

A root keeps its local state in its own folder. ``--move-state`` moves the state beside the config (the CDKTF
stack's, or where 0.3 kept a rendered root's) into it: the way from CDKTF to plain Terraform, and from a 0.3 root.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import EXIT_FAILURE, UsageError
from ..terraform import root_state
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "hcl",
        help="render readable HCL roots (and the module once), or --check that they are current",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--stack", metavar="ENV", help="environment name from the config")
    which.add_argument("--all", action="store_true", help="every environment, each into OUT/<env>")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write (created if missing)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file is not current")
    parser.add_argument(
        "--move-state",
        action="store_true",
        help="move the state beside the config (the CDKTF stack's, or a 0.3 root's) into the root's folder",
    )
    options.add_quiet(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = options.load(args)
    from ..hcl.render import differences, layout, render_layout

    out = Path(args.out)
    names = [args.stack] if args.stack else sorted(config.stacks)
    if not names:
        raise UsageError("the config defines no environment")
    stacks = {name: config.stack(name) for name in names}
    where = layout(out, names, every=args.all)

    def shown(path: Path) -> str:
        return os.path.relpath(path, out).replace(os.sep, "/")

    if args.move_state and args.check:
        raise UsageError("--move-state: not with --check (which writes nothing)")
    if args.check:
        wrong = differences(stacks, where, config.source)
        for path in wrong:
            print(f"not current: {shown(path)}", file=sys.stderr)
        if wrong:
            print(
                f"{len(wrong)} file(s) in {out} differ from what this config renders: run the same command "
                "without --check",
                file=sys.stderr,
            )
            return EXIT_FAILURE
        if not args.quiet:
            print(f"{out} is current", file=sys.stderr)
        return 0
    written, unchanged = render_layout(stacks, where, config.source)
    if not args.quiet:
        print(
            f"rendered {', '.join(names)} into {out}: {len(written)} written, {len(unchanged)} unchanged",
            file=sys.stderr,
        )
        for path in written:
            print(f"  {'removed' if not path.exists() else 'wrote'} {shown(path)}", file=sys.stderr)
    project_dir = Path(config.source).resolve().parent
    for name, root in where.roots.items():
        stack = stacks[name]
        if args.move_state:
            for line in root_state.move_into_root(stack, root, project_dir):
                print(line, file=sys.stderr)
        elif root_state.left_beside_config(stack, root, project_dir):
            print(root_state.move_hint(stack, root, project_dir), file=sys.stderr)
    return 0
