"""Backend settings both renderings share: where local state lives, S3 extras."""

from __future__ import annotations

import os
from pathlib import Path

from ..config.model import StackConfig


def local_state_path(config: StackConfig, root_dir: Path, project_dir: Path) -> str:
    """The local state file, relative to the folder Terraform runs in (the synthesized stack or rendered root).

    ``backend.path`` is relative to the config file's folder; by default the state is
    ``terraform.<stack>.tfstate`` there, as CDKTF puts it. A relative path keeps a moved project working.
    """
    target = project_dir / (config.backend.path or f"terraform.{config.name}.tfstate")
    return os.path.relpath(target.resolve(), root_dir.resolve())


#: A rendered root keeps its local state (and Terraform's backup of it) in its own folder, beside its code: the
#: folder is what a team runs `terraform` in. 0.3 and earlier kept it beside the config, where CDKTF keeps its own.
ROOT_STATE = "terraform.tfstate"


def rendered_state_path(config: StackConfig, root_dir: Path, project_dir: Path) -> str:
    """The rendered root's local state file, relative to the root: its own folder, unless ``backend.path`` names
    one (then the same file as the CDKTF stack's: one state both renderings plan)."""
    if config.backend.path:
        return local_state_path(config, root_dir, project_dir)
    return ROOT_STATE


def shared_state_file(config: StackConfig, project_dir: Path) -> Path | None:
    """The state beside the config that a rendered root does not use by default: the CDKTF stack's, and where
    0.3 kept a rendered root's. None when the config names a path (both renderings use it) or another backend."""
    if config.backend.type != "local" or config.backend.path:
        return None
    return project_dir / f"terraform.{config.name}.tfstate"


def s3_backend_extras(config: StackConfig) -> dict[str, object]:
    extras: dict[str, object] = {"use_lockfile": True} if config.backend.use_lockfile else {}
    if config.aws.endpoint_url:  # an emulator (moto, LocalStack) serves S3 too
        extras |= {
            "endpoints": {"s3": config.aws.endpoint_url},
            "use_path_style": True,
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
        }
    return extras
