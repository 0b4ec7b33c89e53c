"""Earlier releases of idura-cognito, as CHANGELOG.md names them, installed from their commit for upgrade tests.

Each released section of CHANGELOG.md has a line ``Commit: `<40 hex>``` (tags may not travel with a clone; the
commit does). A release is installed from ``git archive <commit>``: built into a wheel by pip and unpacked into
a folder of its own, then run with this interpreter. Its package shadows the working tree's (a folder on
``PYTHONPATH`` comes before the editable install's finder); its dependencies are this environment's, which is
only right when the release pins the same ones, so that is checked and a mismatch installs them too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import ROOT

_SECTION = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.M)
_COMMIT = re.compile(r"^Commit: `(?P<commit>[0-9a-f]{40})`", re.M)


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))


def releases(changelog: Path = ROOT / "CHANGELOG.md") -> list[Release]:
    """Every released version, newest first, with the commit it was cut from."""
    text = changelog.read_text()
    sections = list(_SECTION.finditer(text))
    found = []
    for index, section in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        commit = _COMMIT.search(text, section.end(), end)
        if commit is None:
            raise AssertionError(f"CHANGELOG.md: release {section['version']} names no commit")
        found.append(Release(section["version"], section["date"], commit["commit"]))
    return found


def file_at(release: Release, path: str) -> str:
    """A file of the repository as it was in ``release``."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{release.commit}:{path}"], capture_output=True, text=True, check=True
    ).stdout


@dataclass
class InstalledRelease:
    release: Release
    site: Path

    def command(self) -> list[str]:
        return [sys.executable, "-m", "idura_cognito.cli.main"]

    def environment(self) -> dict[str, str]:
        return {"PYTHONPATH": str(self.site)}


def install(release: Release, where: Path) -> InstalledRelease:
    """Build ``release`` from its commit and unpack it (and, if it pins other dependencies, those) into ``where``."""
    source = where / "source"
    source.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(ROOT), "archive", release.commit], stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(source, filter="tar")
    site = where / "site"
    pins = _pins(source / "pyproject.toml")
    with_deps = pins != _pins(ROOT / "pyproject.toml")
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-compile",
            "-q",
            "--target",
            str(site),
            *([] if with_deps else ["--no-deps"]),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert process.returncode == 0, process.stderr[-3000:]
    return InstalledRelease(release, site)


def _pins(pyproject: Path) -> list[str]:
    import tomllib

    project = tomllib.loads(pyproject.read_text())["project"]
    return sorted(project["dependencies"])
