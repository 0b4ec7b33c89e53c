"""The external program as Terraform's external data source runs it (the one runner the tests use): where it
is, the query Terraform would give it, the environment it gets and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.support.paths import ROOT

PROGRAM = ROOT / "providers" / "idura_verify" / "program" / "application.py"
COGNITO_HOST = "acme-program.auth.eu-north-1.amazoncognito.com"
COGNITO = f"https://{COGNITO_HOST}/oauth2/idpresponse"


def query(domain: str, realm: str, **overrides: str) -> dict[str, str]:
    """A valid query for the application ``realm`` on ``domain`` (an escrowed secret, no id known); a redirect
    URL given in ``redirect_uris`` brings its own host as ``cognito_host`` unless that is given too."""
    base = {
        "idura_domain": domain,
        "client_id": realm,
        "application_name": "Program test",
        "redirect_uris": json.dumps([COGNITO]),
        "cognito_host": COGNITO_HOST,
        "have_secret": "true",
    }
    if "redirect_uris" in overrides and "cognito_host" not in overrides:
        try:
            first = json.loads(overrides["redirect_uris"])[0]
            base["cognito_host"] = first.split("/")[2]
        except (ValueError, IndexError, TypeError, AttributeError):
            pass
    return base | overrides


def environment(idura_env: Mapping[str, str], *, allowed: bool = False, **extra: str) -> dict[str, str]:
    """This process's environment without any ``IDURA_`` variable, then ``idura_env`` (the emulator's), then
    ``extra``; with ``allowed``, the switch that lets a run of rendered HCL change Idura."""
    from idura_verify.program.environment import ALLOW_CHANGES

    env = {k: v for k, v in os.environ.items() if not k.startswith("IDURA_")}
    env.update(idura_env)
    env.update(extra)
    env.update({ALLOW_CHANGES: "true"} if allowed else {})
    return env


def command(program: Path = PROGRAM, python: Sequence[str] = (sys.executable,), args: Sequence[str] = ()) -> list[str]:
    """``python program args``: the interpreter (and its flags, e.g. ``-I``) Terraform would start."""
    return [*python, str(program), *args]


def run_program(
    stdin: Mapping[str, str] | str,
    env: Mapping[str, str] | None,
    *,
    program: Path = PROGRAM,
    python: Sequence[str] = (sys.executable,),
    args: Sequence[str] = (),
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the program once: ``stdin`` is the query (a mapping, sent as JSON) or raw text; ``env`` its whole
    environment (``environment(...)`` builds the usual one; None inherits this process's)."""
    return subprocess.run(
        command(program, python, args),
        input=stdin if isinstance(stdin, str) else json.dumps(stdin),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=None if env is None else dict(env),
        timeout=timeout,
    )
