"""An input-addressed cache of synthesized stacks: a synth whose inputs did not change reuses the last output.

The key covers everything the output depends on:
- the config file's bytes, which stacks were asked for, the output folder and the project folder (the local
  state path in each stack is relative between them);
- the product's own code and templates (every file of the ``idura_cognito`` and ``idura_verify`` packages);
- the versions of Python, cdktf, the provider bindings, jsii and the libraries inside the program zipapp;
- every environment variable the synth reads (``CDKTF_*``, ``SYNTH_*``, ``JSII_*``).

An entry is a folder ``<project>/.idura-cognito/synth-cache/<key>/`` with the files and a manifest of their
SHA-256; it is created under a temporary name and renamed into place, so a reader sees a whole entry or none,
and two synths at once never mix. A served entry is checked against its manifest first: a corrupted or
half-written one is removed and a cold synth runs. It cannot hold a secret, because the synthesized files hold
none: the config has no secrets (the client secret is read from the escrow at plan time, the management token
from the environment at plan time), and the synth reads neither.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .config import ProjectConfig

CACHE_DIR = Path(".idura-cognito") / "synth-cache"
DISABLE_ENV = "IDURA_COGNITO_NO_SYNTH_CACHE"
ENV_PREFIXES = ("CDKTF_", "SYNTH_", "JSII_")
DISTRIBUTIONS = (
    "cdktf",
    "cdktf-cdktf-provider-aws",
    "cdktf-cdktf-provider-external",
    "jsii",
    "constructs",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "idna",
    "certifi",
)
MANIFEST = "idura-cognito-cache.json"


def code_roots() -> list[Path]:
    """The product's own code and templates: every file of its two packages."""
    import idura_cognito
    import idura_verify

    return [Path(package.__file__).resolve().parent for package in (idura_cognito, idura_verify)]


def cache_key(config: ProjectConfig, outdir: Path, stacks: list[str]) -> str:
    from importlib import metadata

    key = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        key.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    add("config", Path(config.source).read_bytes())
    add("stacks", "\n".join(stacks).encode())
    add("outdir", str(outdir.resolve()).encode())
    add("project", str(config.project_dir).encode())
    for root in code_roots():
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".j2"):
                add(f"{root.name}/{path.relative_to(root)}", path.read_bytes())
    add("python", sys.version.encode())
    for name in DISTRIBUTIONS:
        try:
            add(name, metadata.version(name).encode())
        except metadata.PackageNotFoundError:
            add(name, b"absent")
    env = {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES) and k != "CDKTF_OUTDIR"}
    add("env", json.dumps(env).encode())
    return key.hexdigest()[:32]


def default_outdir() -> Path:
    """CDKTF's own choice: ``$CDKTF_OUTDIR`` when the cdktf CLI runs us, else ``./cdktf.out``."""
    return Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")


def enabled(use_cache: bool) -> bool:
    return use_cache and os.environ.get(DISABLE_ENV, "").lower() not in ("1", "true", "yes")


def synth(
    config: ProjectConfig, outdir: str | Path | None, stacks: list[str], *, use_cache: bool = True
) -> tuple[Path, bool]:
    """Synthesize ``stacks`` into ``outdir``; returns (outdir, served from the cache)."""
    target = Path(outdir) if outdir is not None else default_outdir()
    if not enabled(use_cache):
        return _cold(config, target, stacks), False
    key = cache_key(config, target, stacks)
    entry = config.project_dir / CACHE_DIR / key
    files = _verified(entry)
    if files is not None:
        _restore(entry, files, target)
        return target, True
    _cold(config, target, stacks)
    _store(entry, target, stacks)
    return target, False


def _cold(config: ProjectConfig, target: Path, stacks: list[str]) -> Path:
    from .stacks.app import synth as synthesize

    return synthesize(config, target, stacks)


def _outputs(target: Path, stacks: list[str]) -> list[str]:
    """The files one synth of ``stacks`` produces, relative to the output folder."""
    found = ["manifest.json"] if (target / "manifest.json").is_file() else []
    for name in stacks:
        folder = target / "stacks" / name
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(target)
            working_file = relative.parts[2].startswith((".terraform", ".idura-cognito")) or path.name.endswith(
                (".tfstate", ".tfplan", ".lock.hcl", ".backup")
            )
            if path.is_file() and not working_file:  # Terraform's own files in the folder are not synth output
                found.append(relative.as_posix())
    return found


def _store(entry: Path, target: Path, stacks: list[str]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
        manifest = {}
        for relative in _outputs(target, stacks):
            data = (target / relative).read_bytes()
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
            mode = (target / relative).stat().st_mode & 0o777
            manifest[relative] = {"sha256": hashlib.sha256(data).hexdigest(), "mode": mode}
        (staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True))
        try:
            staging.rename(entry)  # atomic; another synth that got there first wins
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass  # a read-only project folder: just no cache


def _verified(entry: Path) -> dict[str, dict] | None:
    """The entry's manifest if every file matches it; a damaged entry is removed."""
    try:
        manifest = json.loads((entry / MANIFEST).read_text())
        for relative, meta in manifest.items():
            if hashlib.sha256((entry / relative).read_bytes()).hexdigest() != meta["sha256"]:
                raise ValueError(relative)
        return manifest
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(entry, ignore_errors=True)
        return None


def _restore(entry: Path, files: dict[str, dict], target: Path) -> None:
    for relative, meta in files.items():
        data = (entry / relative).read_bytes()
        destination = target / relative
        if destination.is_file() and destination.read_bytes() == data:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        destination.chmod(meta["mode"])
