"""The external data program against the local Idura emulator, run as a bare HCP Terraform worker runs it: a
fresh copy of the rendered program folder for every run (no byte-code cache), ``python3 -I <folder>``, Python's
standard library only. Steady state (find, nothing to do) and a cold create (find, create, issue a secret)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from measure import median, p95

from idura_cognito.hcl import program_source
from idura_verify.program import environment

HOST = "acme-bench.auth.eu-north-1.amazoncognito.com"


def _fresh_copy(parent: Path) -> Path:
    folder = Path(tempfile.mkdtemp(dir=parent)) / "program"
    folder.mkdir()
    for name, content in program_source.files().items():
        (folder / name).write_bytes(content)
    return folder


def python3() -> str:
    """``python3`` as Terraform finds it on PATH, resolved to the interpreter itself: a version-manager shim (pyenv
    here) adds its own start-up per call, measured separately."""
    return subprocess.run(
        ["python3", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True, check=True
    ).stdout.strip()


def measure_program(bench, idura, runs: int) -> list[str]:
    env = {**bench.env, **idura.environment(), environment.ALLOW_CHANGES: "true"}  # as a run of rendered HCL
    real = python3()
    query = {
        "idura_domain": idura.domain,
        "client_id": f"urn:idura:bench:{secrets.token_hex(4)}",
        "application_name": "bench",
        "redirect_uris": json.dumps([f"https://{HOST}/oauth2/idpresponse"]),
        "cognito_host": HOST,
        "have_secret": "false",
    }
    created = json.loads(
        bench.run([real, "-I", str(_fresh_copy(bench.work))], bench.work, stdin=json.dumps(query), env=env).stdout
    )
    steady = json.dumps(query | {"have_secret": "true", "escrowed_secret_id": created["secret_id"]})

    def bare(stdin: str):
        folder = _fresh_copy(bench.work)  # copied before the clock starts: no __pycache__ from a run before
        measured = bench.run([real, "-I", str(folder)], bench.work, stdin=stdin, env=env)
        shutil.rmtree(folder.parent)
        return measured

    walls = [bare(steady) for _ in range(runs)]
    med, tail = median(walls), p95(walls)
    bench.row("program steady state, bare worker", med, f"p95 {tail:.3f} s over {runs} runs; no byte code; {real}")
    colds = [bare(json.dumps(query | {"client_id": f"urn:idura:bench:{secrets.token_hex(6)}"})) for _ in range(5)]
    bench.row("program cold create, bare worker", median(colds), "find + create + issue secret")
    shim = shutil.which("python3")
    if shim and os.path.realpath(shim) != os.path.realpath(real):
        folder = _fresh_copy(bench.work)
        via = [bench.run(["python3", "-I", str(folder)], bench.work, stdin=steady, env=env) for _ in range(10)]
        bench.row("program steady state via the python3 shim", median(via), f"{shim}: shim start-up included")
    return [
        f"SUMMARY program-steady [bare worker]: median {med:.3f} s, p95 {tail:.3f} s "
        f"(target <= 0.35 s, p95 <= 0.5 s): {bench.verdict(med <= 0.35 and tail <= 0.5)}"
    ]
