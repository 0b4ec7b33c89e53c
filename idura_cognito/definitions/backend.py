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
