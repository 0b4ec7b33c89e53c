"""``idura-cognito program --out DIR``: write the external data program's source folder.

Not needed with a rendered root or the module used from git: both hold the program at
``providers/idura_verify/program/`` beside ``modules/``. For a ``program`` setting of your own, run it as
``python3 -I -B DIR``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "program",
        help="write the external data program's source folder (rendered folders already carry it)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write, e.g. program")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..hcl import program_source

    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in program_source.files().items():
            (folder / name).write_bytes(content)
    except OSError as exc:
        raise CommandError(f"cannot write {folder}: {exc.strerror or type(exc).__name__}") from None
    print(f"wrote {folder}: run it as python3 -I -B {folder}", file=sys.stderr)
    return 0
