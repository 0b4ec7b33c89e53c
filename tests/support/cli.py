"""The installed console script, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.paths import CLI


def run_cli(
    *args: str, input: str | None = None, env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``idura-cognito *args`` (this environment plus ``env``); returns the CompletedProcess."""
    return subprocess.run(
        [CLI, *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=600,
    )
