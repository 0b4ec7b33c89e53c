"""Where the Terraform module is: package data of an installed wheel, or the clone's own folder.

The repository holds the module once, in ``modules/idura-cognito``. A wheel carries it as package data under
``idura_cognito/terraform_module`` (pyproject.toml maps the folder); an editable install of a clone has no such
package folder and reads the repository's. No link, no copy in the tree.
"""

from __future__ import annotations

import functools
from pathlib import Path

_INSTALLED = Path(__file__).resolve().parents[1] / "terraform_module"
_CLONE = Path(__file__).resolve().parents[2] / "modules" / "idura-cognito"


@functools.cache  # the answer cannot change while the process runs
def module_folder() -> Path:
    """The module's folder (``main.tf``, ``variables.tf``, ..., ``modules/idura-application/``)."""
    if (_INSTALLED / "main.tf").is_file():
        return _INSTALLED
    if (_CLONE / "main.tf").is_file() and _is_this_project(_CLONE.parents[1] / "pyproject.toml"):
        return _CLONE
    raise FileNotFoundError("the Terraform module is missing from this installation: reinstall idura-cognito")


def _is_this_project(pyproject: Path) -> bool:
    """The clone's own pyproject.toml, not another distribution's ``modules`` folder in site-packages."""
    try:
        return 'name = "idura-cognito"' in pyproject.read_text()
    except OSError:
        return False
