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

Every number comes from fresh processes (interpreter start included) after a warm-up run; medians. A header says
what will run and about how long; each row prints as soon as it is measured, each verdict when its part ends, and
the table and every verdict once more at the end. The exit code is 0 when every live target holds; otherwise 1,
naming the missed ones. CDK Terrain's cold synth against its naive app is a row without a target (RETIRED,
docs/benchmarks.md says why).
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
from collections.abc import Callable
from dataclasses import dataclass
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
SYNTH_RUNS, PROGRAM_RUNS, PLAN_RUNS = 5, 25, 5  # the defaults the estimates were measured with


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
        self.started = time.monotonic()

    def run(self, command: list[str], cwd: Path, *, stdin: str | None = None, env: dict | None = None) -> Run:
        return measure.run(command, env=env or self.env, cwd=cwd, stdin=stdin)

    def row(self, name: str, seconds: float, note: str = "") -> None:
        """One measurement: kept for the table at the end, and printed now."""
        self.rows.append((name, f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s", note))
        self.say(f"  {name}: {self.rows[-1][1]}" + (f" ({note})" if note else ""))

    def say(self, line: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        print(f"[{elapsed // 60}:{elapsed % 60:02d}] {line}", flush=True)

    @staticmethod
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"


@dataclass
class Part:
    title: str
    seconds: float  # about how long it takes on the 2-core machine (measured with the default run counts)
    measure: Callable[[], list[str]]  # its SUMMARY (a live target), RETIRED and FINDING lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synth-runs", type=int, default=SYNTH_RUNS)
    parser.add_argument("--program-runs", type=int, default=PROGRAM_RUNS)
    parser.add_argument("--plan-runs", type=int, default=PLAN_RUNS)
    parser.add_argument("--only", choices=["applications"], help="measure only this part")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="idura-bench-"))
    bench = Bench(work)
    servers: list = []
    try:
        parts = _parts(bench, args, servers)
        return _report(bench, [line for part in _run(bench, parts) for line in part])
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def _parts(bench: Bench, args: argparse.Namespace, servers: list) -> list[Part]:
    """What runs, in order; each estimate scales with the run count it depends on."""
    synth_scale, program_scale = (args.synth_runs + 1) / (SYNTH_RUNS + 1), (args.program_runs + 1) / (PROGRAM_RUNS + 1)
    plan_scale, warm_runs = (args.plan_runs + 1) / (PLAN_RUNS + 1), max(args.synth_runs, 9)
    local: dict = {}

    def started():
        """moto and the Idura emulator, started by the first part that needs them."""
        if not local:
            local["idura"] = start_idura_emulator(bench.work / "idura", token=secrets.token_urlsafe(16))
            servers.append(local["idura"].server)
            local["moto"] = start_moto(bench.work / "moto")
            servers.append(local["moto"])
        return local["moto"], local["idura"]

    applications_part = Part(
        "the external program's find-only plan with 1, 1,000 and 5,000 applications on the domain",
        15 * program_scale,
        lambda: _applications(bench, bench.work, args.program_runs),
    )
    if args.only == "applications":
        return [applications_part]
    parts = [
        Part(
            "synth of the demo config, cold: the product against a naive CDKTF app",
            90 * synth_scale,
            lambda: synth.cold_vs_naive(bench, args.synth_runs),
        ),
        Part(
            "synth of the demo config, warm cache: `idura-cognito synth` and `python main.py`",
            10 * synth_scale,
            lambda: synth.warm_cache(bench, warm_runs),
        ),
    ]
    if cdk_choice.installed(cdk_choice.CDK_TERRAIN):  # the [cdk-terrain] extra: the same on the fork
        parts.append(
            Part(
                "the same on CDK Terrain (its cold synth is a row without a target: RETIRED)",
                75 * synth_scale,
                lambda: (
                    synth.cold_vs_naive(bench, args.synth_runs, "cdk-terrain")
                    + synth.warm_cache(bench, warm_runs, "cdk-terrain")
                ),
            )
        )
    else:
        finding = "FINDING cdk-terrain: not installed ([cdk-terrain] extra), its synth was not measured"
        parts.append(Part("CDK Terrain: not installed", 0, lambda: [finding]))
    parts += [
        Part(
            "cost growth: cold synth and `hcl --all` of 1, 20 and 100 environments",
            100 * synth_scale,
            lambda: synth.growth(bench, args.synth_runs),
        ),
        Part(
            "the external program against the Idura emulator: steady state and a cold create, as a bare worker",
            5 * program_scale,
            lambda: program.measure_program(bench, started()[1], args.program_runs),
        ),
        applications_part,
        Part(
            "edit nothing, plan again: `idura-cognito plan` against a raw `terraform plan`, and the endpoints block",
            175 * plan_scale,
            lambda: _plan_again(bench, *started(), args.plan_runs),
        ),
        Part("`idura-cognito hcl` of one environment", 2 * synth_scale, lambda: _hcl_render(bench, args.synth_runs)),
    ]
    return parts


def _run(bench: Bench, parts: list[Part]):
    """The header, then each part: its rows as they are measured (Bench.row), its verdicts when it ends."""
    total = sum(part.seconds for part in parts)
    print(
        f"make bench: {len(parts)} part(s), about {_duration(total)} on the 2-core machine; each row prints as it is "
        "measured, the table and the verdicts once more at the end",
        flush=True,
    )
    for number, part in enumerate(parts, 1):
        print(f"  {number}. {part.title} (about {_duration(part.seconds)})", flush=True)
    for number, part in enumerate(parts, 1):
        bench.say(f"{number}/{len(parts)} {part.title}")
        lines = part.measure()
        for line in lines:
            bench.say(line)
        yield lines


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def _plan_again(bench: Bench, moto, idura, runs: int) -> list[str]:
    targets, findings = plan.plan_again(bench, moto, idura, runs)
    return targets + findings


def _applications(bench: Bench, work: Path, runs: int) -> list[str]:
    """On an emulator of its own: the counts are of applications on its domain, nobody else's."""
    idura = start_idura_emulator(work / "idura-applications", token=secrets.token_urlsafe(16))
    try:
        return applications.measure_applications(bench, idura, runs)
    finally:
        idura.stop()


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


def _report(bench: Bench, lines: list[str]) -> int:
    """The machine, the table of every row, every verdict; 0 when every live target holds, else 1 naming the missed."""
    terraform = subprocess.run(["terraform", "version"], capture_output=True, text=True).stdout.split("\n")[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print()
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
    for line in lines:
        print(line)
    targets = [line for line in lines if line.startswith("SUMMARY ")]
    missed = [line.removeprefix("SUMMARY ").split(":", 1)[0] for line in targets if not line.endswith(": PASS")]
    elapsed = time.monotonic() - bench.started
    if missed:
        print(f"missed {len(missed)} of {len(targets)} live target(s): {', '.join(missed)} ({_duration(elapsed)})")
        return 1
    print(f"every live target holds ({len(targets)} of {len(targets)}; {_duration(elapsed)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
