"""The external data program as readable source: a folder of standard-library Python that Terraform runs with
``python3 -I <folder>`` on any machine with Python 3.9 or newer, a bare HCP Terraform worker included.

The folder is ``__main__.py`` (the entry point, with the Python version check) and the program's modules from
``providers/idura`` (the ``idura_verify`` package), byte for byte: nothing is compiled, bundled or built, so the
same files come out on every machine and every Python, and a reviewer reads in a pull request what Terraform
will run. The module carries a copy (``modules/idura-application/program/``, written by ``make generate`` and
checked by a test), so a rendered root and a module used from git hold it with nothing to generate.
"""

from __future__ import annotations

from pathlib import Path

import idura_verify

#: The program's files, in the order a reader would open them.
FILES = (
    "__main__.py",
    "idura_application.py",
    "management.py",
    "discovery.py",
    "rules.py",
    "environment.py",
    "oidc.py",
)
#: Where the program sits in the idura-application submodule.
FOLDER = "program"


def files() -> dict[str, bytes]:
    """File name -> content, from the installed ``idura_verify`` package."""
    package = Path(idura_verify.__file__).resolve().parent
    return {name: (package / name).read_bytes() for name in FILES}
