"""A rendered root's local state: in its own folder (definitions/backend.py ROOT_STATE), and the move of a state
that sits beside the config into it.

Before 0.4 a rendered root and the CDKTF stack both kept their state beside the config
(``terraform.<stack>.tfstate``). A 0.4 root looks in its folder; a state left beside the config would make its
first plan create everything again, so the product's commands refuse that root until the state is moved (or
``backend.path`` names the shared file). The move is a rename of the file and Terraform's backup of it, no
``moved`` block and no ``terraform state`` command: the state's content stays byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config.model import StackConfig
from ..definitions.backend import ROOT_STATE, shared_state_file
from ..errors import CommandError

#: Terraform's record of the backend a folder was initialized with; for a local backend it holds only the
#: backend's settings (the path), never state.
BACKEND_RECORD = Path(".terraform") / "terraform.tfstate"


def has_resources(path: Path) -> bool:
    """Whether ``path`` is a state that holds at least one resource (an emptied state after a destroy does not)."""
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("resources"))
    except (OSError, ValueError, AttributeError):
        return False


def _empty_state(path: Path) -> bool:
    """A state Terraform emptied (a destroy leaves one): it parses and holds no resource."""
    try:
        return not json.loads(path.read_text(encoding="utf-8")).get("resources")
    except (OSError, ValueError, AttributeError):
        return False


def left_beside_config(stack: StackConfig, root: Path, project_dir: Path) -> bool:
    """A state of this stack beside the config, and none in the root that would find it."""
    shared = shared_state_file(stack, project_dir)
    return shared is not None and has_resources(shared) and not has_resources(root / ROOT_STATE)


def move_hint(stack: StackConfig, root: Path, project_dir: Path) -> str:
    shared = shared_state_file(stack, project_dir)
    return (
        f"the state of stack {stack.name} is at {_shown(shared)} (the CDKTF stack's, or where 0.3 kept a rendered "
        f"root's), and the root {_shown(root)} keeps its own in its folder: move it with `idura-cognito hcl --stack "
        f'{stack.name} --out {_shown(root)} --move-state`, or set backend.path = "terraform.{stack.name}.tfstate" '
        "to keep one state for both renderings"
    )


def move_into_root(stack: StackConfig, root: Path, project_dir: Path) -> list[str]:
    """Move the state beside the config (and its backup) into ``root``; the lines to print."""
    shared = shared_state_file(stack, project_dir)
    if shared is None:
        return [f"--move-state: stack {stack.name}'s backend names its own state (backend.path or remote): kept"]
    backup = shared.with_name(shared.name + ".backup")
    if shared.is_symlink() or backup.is_symlink():
        raise CommandError(
            f"--move-state: {_shown(shared)} is a symbolic link; move the state it points at yourself, or set "
            "backend.path to it; nothing was moved"
        )
    if not shared.is_file():
        return [f"--move-state: no state at {_shown(shared)}: nothing to move"]
    target = root / ROOT_STATE
    if has_resources(target) or (target.exists() and not _empty_state(target)):
        raise CommandError(
            f"--move-state: both {_shown(shared)} and {_shown(target)} hold a state of stack {stack.name}; nothing "
            "was moved (keep the one Terraform last applied, `terraform show` in each tells)"
        )
    shared.chmod(0o600)  # it holds the client secret: owner-only before and after the rename
    os.replace(shared, target)
    target_backup = target.with_name(target.name + ".backup")
    if backup.is_file() and not target_backup.exists():
        backup.chmod(0o600)
        os.replace(backup, target_backup)
    record = root / BACKEND_RECORD
    if record.is_file():
        record.unlink()  # it names the old path: the next `terraform init` takes the root's own
    return [
        f"moved {_shown(shared)} to {_shown(target)}: this root's state from now on. The CDKTF stack no longer finds "
        f"it; run stack {stack.name} through `--hcl {_shown(root)}`."
    ]


def _shown(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
