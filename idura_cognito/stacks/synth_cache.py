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
half-written one is removed and a cold synth runs.

Only what this product wrote is served: the manifest carries an HMAC under a key private to the user
(``~/.cache/idura-cognito/synth-cache.key``, mode 0600), so an entry edited, re-hashed or brought in with a
cloned repository is never served; every path in it must be a synthesized file (``manifest.json``, a stack's
``cdk.tf.json`` and its program) inside the output folder. Only those files are cached: anything else left in a
stack folder (a ``plan.json`` holding the secret) is neither stored nor restored. An entry cannot hold a secret:
the config has none, and the synth reads neither the escrow nor the management token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ..config import ProjectConfig
from .cdk_choice import chosen, for_project, pin

CACHE_DIR = Path(".idura-cognito") / "synth-cache"
DISABLE_ENV = "IDURA_COGNITO_NO_SYNTH_CACHE"
ENV_PREFIXES = ("CDKTF_", "SYNTH_", "JSII_")


def distributions() -> list[str]:
    """Every distribution whose version reaches the output: the chosen CDK's (the program is the product's own
    code, covered by code_roots, and needs no library)."""
    return list(chosen().distributions)


MANIFEST = "idura-cognito-cache.json"
KEY_ENV = "IDURA_COGNITO_CACHE_KEY_FILE"
#: The files a synth writes (relative to the output folder), and nothing else.
_SYNTHESIZED = re.compile(
    r"manifest\.json|stacks/[a-z][a-z0-9-]{0,31}/(?:cdk\.tf\.json|assets/[a-z_]+/[0-9A-F]{32}/[a-z_]+\.py)"
)


def _key_file() -> Path:
    given = os.environ.get(KEY_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "idura-cognito" / "synth-cache.key"


def _signing_key() -> bytes | None:
    """The user's private key for the manifests' HMAC, made on first use (None: no place to keep it)."""
    path = _key_file()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:
        return path.read_bytes()
    except OSError:
        return None


def _signature(key: bytes, manifest: dict) -> str:
    return hmac.new(key, json.dumps(manifest, sort_keys=True).encode(), hashlib.sha256).hexdigest()


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
    add("cdk", chosen().name.encode())
    add("outdir", str(outdir.resolve()).encode())
    add("project", str(config.project_dir).encode())
    for root in code_roots():
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".j2"):
                add(f"{root.name}/{path.relative_to(root)}", path.read_bytes())
    add("python", sys.version.encode())
    for name in distributions():
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
    pin(for_project(config.project_dir, record=True))  # the project's CDK, before anything imports one
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
    from .. import extras

    extras.require_cdk("this command", "use a rendered HCL root instead (`idura-cognito hcl`, then --hcl DIR)")
    from .app import synth as synthesize

    return synthesize(config, target, stacks)


def _outputs(target: Path, stacks: list[str]) -> list[str]:
    """The files one synth of ``stacks`` produced, relative to the output folder: synthesized files only."""
    found = ["manifest.json"] if (target / "manifest.json").is_file() else []
    for name in stacks:
        folder = target / "stacks" / name
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(target).as_posix()
            if path.is_file() and _SYNTHESIZED.fullmatch(relative):
                found.append(relative)
    return found


def _store(entry: Path, target: Path, stacks: list[str]) -> None:
    key = _signing_key()
    if key is None:
        return  # nowhere to keep a private key: no cache
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
        signed = {"files": manifest, "hmac": _signature(key, manifest)}
        (staging / MANIFEST).write_text(json.dumps(signed, sort_keys=True))
        try:
            staging.rename(entry)  # atomic; another synth that got there first wins
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass  # a read-only project folder: just no cache


def _verified(entry: Path) -> dict[str, dict] | None:
    """The entry's files if this user's product wrote it and every file matches; anything else is removed."""
    try:
        signed = json.loads((entry / MANIFEST).read_text())
    except (OSError, ValueError):
        # No entry, an unreadable manifest, or none (a copy cut short: a store renames whole entries into place,
        # so this is never one being written). Remove it, or no store could ever replace it.
        shutil.rmtree(entry, ignore_errors=True)
        return None
    key = _signing_key()
    try:
        manifest = signed["files"]
        if key is None or not hmac.compare_digest(str(signed["hmac"]), _signature(key, manifest)):
            raise ValueError("not signed by this user's key")
        for relative, meta in manifest.items():
            if not _SYNTHESIZED.fullmatch(relative):
                raise ValueError(relative)  # a path outside the stack folders, or not a synthesized file
            if hashlib.sha256((entry / relative).read_bytes()).hexdigest() != meta["sha256"]:
                raise ValueError(relative)
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        shutil.rmtree(entry, ignore_errors=True)
        return None


def _restore(entry: Path, files: dict[str, dict], target: Path) -> None:
    """Write each cached file into the output folder, never through a link: a ``cdk.tf.json`` that is a symbolic
    link (to a state file, say) is replaced by the file itself, and the link's target keeps its bytes and mode."""
    for relative, meta in files.items():
        data = (entry / relative).read_bytes()
        destination = target / relative
        if not destination.is_symlink() and destination.is_file() and destination.read_bytes() == data:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.{os.getpid()}.restore")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, int(meta["mode"]) & 0o755)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, int(meta["mode"]) & 0o755)
        os.replace(temporary, destination)  # replaces a link itself, never what it points at
