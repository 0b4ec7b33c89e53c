"""``idura-cognito init [DIR]``: scaffold an infra repo folder for idura-cognito.

Writes a commented ``idura-cognito.toml`` for one environment, ``cdktf.json`` and ``main.py`` (the CDKTF app,
a few lines calling the installed package) and a ``.gitignore``, then prints the next commands. An existing
file is never overwritten unless ``--force`` is given; then nothing is written at all.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
from pathlib import Path

from ..errors import CommandError, UsageError
from ..stacks.cdk_choice import RECORD_KEY, chosen

#: file in the folder -> file in the package's scaffold/
FILES = {
    "idura-cognito.toml": "idura-cognito.toml",
    "cdktf.json": "cdktf.json",
    "main.py": "main.py.txt",
    ".gitignore": "gitignore.txt",
}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "init",
        help="scaffold a folder: idura-cognito.toml, cdktf.json, main.py, .gitignore",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder to scaffold (default: .)")
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not args.force:
        raise UsageError(f"{folder}: {', '.join(existing)} exist already; nothing was written (--force overwrites)")
    scaffold = importlib.resources.files("idura_cognito") / "scaffold"
    try:
        contents = {name: scaffold.joinpath(source).read_bytes() for name, source in FILES.items()}
    except OSError:
        raise CommandError("the installed package lacks its scaffold files: reinstall idura-cognito") from None
    project = json.loads(contents["cdktf.json"])  # the project records the CDK it runs on (cdk_choice.py)
    project["context"][RECORD_KEY] = chosen().name
    contents["cdktf.json"] = (json.dumps(project, indent=2) + "\n").encode()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in contents.items():
            (folder / name).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"cannot write into {folder}: {exc.strerror or type(exc).__name__}") from None
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {args.dir} && "
    print(f"Scaffolded {folder}: {', '.join(FILES)}. Next:", file=sys.stderr)
    print(f"  1. {where}$EDITOR idura-cognito.toml       # your Idura domain, client id, pool, domain, URLs")
    print("  2. idura-cognito plan --stack dev            # validate and show what would change")
    print("  3. idura-cognito deploy --stack dev          # apply it (asks first); makes the changes at Idura")
    cdk = chosen()  # the same cdktf.json serves both CDKs: its app is `idura-cognito synth`
    cli = cdk.cli
    print(
        f"With the {cli} CLI (npm install {cdk.cli_package}; cdktf.json runs `idura-cognito synth`; offline: add "
        "--skip-provider-lock):"
    )
    print(f"     {cli} synth | {cli} diff dev | {cli} deploy dev | {cli} output dev")
    print(f"     {cli} commands only read Idura: its changes go through `idura-cognito deploy` (docs/cdktf.md)")
    print("Plain Terraform instead (no CDKTF needed; commit the folder):")
    print("     idura-cognito hcl --stack dev --out infra/dev && idura-cognito deploy --stack dev --hcl infra/dev")
    return 0
