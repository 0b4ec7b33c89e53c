"""The external data program against the local Idura emulator: steady state with 1 and 20 redirect URLs, and a
cold create, run as both renderings run it (``python3 -I bin/idura_application.pyz``, the zipapp with httpx)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess

from measure import median, p95, series

from idura_cognito.cli import workflow
from idura_cognito.hcl import program_bundle


def redirect_urls(count: int) -> str:
    host = "https://acme-bench-{:02d}.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    return json.dumps([host.format(i) for i in range(count)])


def measure_program(bench, idura, runs: int) -> list[str]:
    env = {**bench.env, **idura.environment(), **workflow.allow_idura_changes()}
    pyz = bench.work / "idura_application.pyz"
    pyz.write_bytes(program_bundle.build())
    # `python3` as Terraform finds it on PATH, resolved to the interpreter itself: a version-manager shim (pyenv
    # here) adds its own start-up per call, measured separately below.
    real = subprocess.run(
        ["python3", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True, check=True
    ).stdout.strip()
    command = [real, "-I", str(pyz)]
    lines = []
    for count in (1, 20):
        query = {
            "idura_domain": idura.domain,
            "client_id": f"urn:idura:bench:{secrets.token_hex(4)}",
            "application_name": "bench",
            "redirect_uris": redirect_urls(count),
            "have_secret": "false",
        }
        created = json.loads(bench.run(command, bench.work, stdin=json.dumps(query), env=env).stdout)
        steady = json.dumps(query | {"have_secret": "true", "escrowed_secret_id": created["secret_id"]})
        walls = series(runs, lambda s=steady: bench.run(command, bench.work, stdin=s, env=env))
        med, tail = median(walls), p95(walls)
        bench.row(f"program steady state, {count} redirect URL(s)", med, f"p95 {tail:.3f} s over {runs} runs; {real}")
        lines.append(
            f"SUMMARY program-steady [{count} redirect URL(s)]: median {med:.3f} s, p95 {tail:.3f} s "
            f"(target <= 0.35 s, p95 <= 0.5 s): {bench.verdict(med <= 0.35 and tail <= 0.5)}"
        )
        colds = series(
            5,
            lambda q=query: bench.run(
                command,
                bench.work,
                env=env,
                stdin=json.dumps(q | {"client_id": f"urn:idura:bench:{secrets.token_hex(6)}"}),
            ),
        )
        bench.row(f"program cold create, {count} redirect URL(s)", median(colds), "find + create + issue secret")
    shim = shutil.which("python3")
    if shim and os.path.realpath(shim) != os.path.realpath(real):
        walls = series(10, lambda: bench.run(["python3", "-I", str(pyz)], bench.work, stdin=steady, env=env))
        bench.row("program steady state via the python3 shim", median(walls), f"{shim}: shim start-up included")
    return lines
