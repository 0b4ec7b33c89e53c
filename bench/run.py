"""`make bench`: what users wait for, measured in one run on one machine, each target printed as PASS or FAIL.

  synth of the demo config: the product's cold synth against a naive app (bench/naive_app.py), and the warm
    cache (`idura-cognito synth` and the scaffolded `python main.py`, output compared with a cold synth); the
    same on CDK Terrain when its extra is installed
  cost growth: cold synth and `hcl --all` of 1, 20 and 100 environments, time and peak memory
  the external program against the Idura emulator with 1 and 20 redirect URLs, as CDKTF and as HCL run it
  the external program's find-only plan with 1, 1,000 and 5,000 applications on the domain (paged collection)
  "edit nothing, plan again": `idura-cognito plan` against a raw `terraform plan` (moto + Idura emulator), and
    what the AWS provider's `endpoints` block (aws.endpoint_url) costs a plan against AWS_ENDPOINT_URL (a FINDING:
    a fact about the provider, no target)
  `idura-cognito hcl` of one environment

Every number comes from fresh processes (interpreter start included) after a warm-up run; medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import applications
import measure
import plan
import program
import synth
from measure import Run, median, series

from idura_cognito.local.processes import start_idura_emulator, start_moto
from idura_cognito.stacks import cdk_choice

ROOT = Path(__file__).resolve().parent.parent


class Bench:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.bin = Path(sys.executable).parent
        self.cli = str(self.bin / "idura-cognito")
        self.python = sys.executable
        self.naive_app = ROOT / "bench" / "naive_app.py"
        self.base = tomllib.loads((ROOT / "idura_cognito" / "demo" / "idura-cognito.toml").read_text())
        self.env = {
            **os.environ,
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "CHECKPOINT_DISABLE": "1",
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        self.env.pop("IDURA_COGNITO_NO_SYNTH_CACHE", None)
        self.rows: list[tuple[str, str, str]] = []

    def run(self, command: list[str], cwd: Path, *, stdin: str | None = None, env: dict | None = None) -> Run:
        return measure.run(command, env=env or self.env, cwd=cwd, stdin=stdin)

    def row(self, name: str, seconds: float, note: str = "") -> None:
        self.rows.append((name, f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s", note))

    @staticmethod
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synth-runs", type=int, default=5)
    parser.add_argument("--program-runs", type=int, default=25)
    parser.add_argument("--plan-runs", type=int, default=5)
    parser.add_argument("--only", choices=["applications"], help="measure only this part")
    args = parser.parse_args()
    if args.only == "applications":
        return _applications_only(args.program_runs)
    work = Path(tempfile.mkdtemp(prefix="idura-bench-"))
    bench = Bench(work)
    summary: list[str] = []
    findings: list[str] = []
    servers = []
    try:
        summary += synth.cold_vs_naive(bench, args.synth_runs)
        summary += synth.warm_cache(bench, max(args.synth_runs, 9))
        if cdk_choice.installed(cdk_choice.CDK_TERRAIN):  # the [cdk-terrain] extra: the same on the fork
            summary += synth.cold_vs_naive(bench, args.synth_runs, "cdk-terrain")
            summary += synth.warm_cache(bench, max(args.synth_runs, 9), "cdk-terrain")
        else:
            findings.append("CDK Terrain: not installed ([cdk-terrain] extra), its synth was not measured")
        summary += synth.growth(bench, args.synth_runs)
        idura = start_idura_emulator(work / "idura", token=secrets.token_urlsafe(16))
        servers.append(idura.server)
        moto = start_moto(work / "moto")
        servers.append(moto)
        summary += program.measure_program(bench, idura, args.program_runs)
        summary += _applications(bench, work, args.program_runs)
        targets, findings = plan.plan_again(bench, moto, idura, args.plan_runs)
        summary += targets
        summary += _hcl_render(bench, args.synth_runs)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    _print(bench, summary + findings)
    return 0 if all(line.endswith("PASS") for line in summary) else 1


def _applications(bench: Bench, work: Path, runs: int) -> list[str]:
    """On an emulator of its own: the counts are of applications on its domain, nobody else's."""
    idura = start_idura_emulator(work / "idura-applications", token=secrets.token_urlsafe(16))
    try:
        return applications.measure_applications(bench, idura, runs)
    finally:
        idura.stop()


def _applications_only(runs: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="idura-bench-"))
    bench = Bench(work)
    try:
        summary = _applications(bench, work, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _print(bench, summary)
    return 0 if all(line.endswith("PASS") for line in summary) else 1


def _hcl_render(bench: Bench, runs: int) -> list[str]:
    project = bench.work / "render"
    synth.write_config(project, bench.base)
    renders = series(
        runs,
        lambda: bench.run(
            [bench.cli, "hcl", "--quiet", "--stack", "demo", "--out", f"hcl-{secrets.token_hex(4)}"], project
        ),
    )
    m = median(renders)
    bench.row("hcl render, one environment", m, "fresh folder each run")
    return [f"SUMMARY hcl-render: median {m:.2f} s (target <= 0.5 s): {bench.verdict(m <= 0.5)}"]


def _print(bench: Bench, summary: list[str]) -> None:
    terraform = subprocess.run(["terraform", "version"], capture_output=True, text=True).stdout.split("\n")[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, {memory:.0f} GiB, Python "
        f"{platform.python_version()}, {terraform}, {time.strftime('%Y-%m-%d')}"
    )
    width = max(len(r[0]) for r in bench.rows)
    print(f"| {'measurement'.ljust(width)} | median | notes |")
    print(f"| {'-' * width} | --- | --- |")
    for name, value, note in bench.rows:
        print(f"| {name.ljust(width)} | {value} | {note} |")
    print()
    for line in summary:
        print(line)


if __name__ == "__main__":
    sys.exit(main())
