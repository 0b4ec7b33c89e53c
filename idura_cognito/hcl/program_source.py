"""The external data program's source, as the renderer and the CDKTF stack ship it.

The program has one copy, ``providers/idura_verify/program/`` (the package ``idura_verify.program``): readable,
standard-library Python 3.9+ that Terraform runs with ``python3 -I -B <folder>``. Nothing is compiled, bundled
or built, so the same files come out on every machine and every Python, and a reviewer reads in a pull request
what Terraform will run. ``-B``: the program never writes ``__pycache__`` into its folder, so a folder that has
run is the folder that was rendered. Only the files below are shipped (never a cache an import left beside them).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import idura_verify.program

#: The program's files, in the order a reader would open them.
FILES = (
    "__main__.py",
    "__init__.py",
    "application.py",
    "management.py",
    "discovery.py",
    "rules.py",
    "environment.py",
    "oidc.py",
)
#: Where the program sits, relative to the folder that holds ``modules/idura-cognito``: the layout of this
#: repository, of a rendered folder and of a module sourced from git alike. The idura-application submodule finds it
#: at ``${path.module}/../../../../`` + this.
FOLDER = "providers/idura_verify/program"


def package_folder() -> Path:
    """The installed ``idura_verify.program`` package (in a clone: this repository's folder)."""
    return Path(idura_verify.program.__file__).resolve().parent


@functools.cache  # the files cannot change while the process runs
def files() -> dict[str, bytes]:
    """File name -> content, from the installed ``idura_verify.program`` package."""
    folder = package_folder()
    return {name: (folder / name).read_bytes() for name in FILES}


def digest() -> str:
    """A digest of the program's files, names and contents (the CDKTF asset's hash: the same on every machine)."""
    hasher = hashlib.sha256()
    for name, content in files().items():
        hasher.update(name.encode() + b"\0" + len(content).to_bytes(8, "big") + content)
    return hasher.hexdigest()[:32].upper()
