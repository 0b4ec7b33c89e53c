"""``idura-cognito program --out PATH``: write the external data program (a zipapp carrying httpx).

For the idura-application submodule used from git, which carries no build output: write the program to
``<submodule>/bin/idura_application.pyz`` (or anywhere, and point the submodule's ``program`` at it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "program",
        help="write the external data program (idura_application.pyz) for a module used from git",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", required=True, metavar="PATH", help="the file to write, e.g. bin/idura_application.pyz"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..hcl import program_bundle

    path = Path(args.out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(program_bundle.build())
        path.chmod(0o755)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    print(f"wrote {path}: run it as python3 -I {path}", file=sys.stderr)
    return 0
