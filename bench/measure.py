"""How the benchmark measures: fresh processes, wall time, and the peak memory of the whole process tree.

Peak memory is the largest sum of RSS over a command and all its descendants (the synth is a Python process
driving a node process through jsii, both alive at once), sampled from /proc every 20 ms, and never less than
the kernel's own peak of the largest single process (``ru_maxrss``).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    wall: float  # seconds
    peak_mib: float  # peak RSS of the process tree
    stdout: str = ""
    cpu: float = 0.0  # user + system seconds of the command's process tree


def run(command: list[str], *, env: dict, cwd: Path, stdin: str | None = None, expect: tuple = (0,)) -> Run:
    """One fresh run; a failure stops the benchmark with the command's last error lines."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = _TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate(stdin)
    wall = time.perf_counter() - started
    sampler.stop()
    if process.returncode not in expect:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    single = usage.ru_maxrss / 1024 if usage.ru_maxrss > before else 0.0
    # CPU of the command and every descendant it waited for (Terraform reaps its providers).
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return Run(wall, max(sampler.peak / 2**20, single), stdout, cpu)


def series(count: int, one: Callable[[], Run]) -> list[Run]:
    """A warm-up (file system caches, byte code, node's code cache), then ``count`` measured runs."""
    one()
    return [one() for _ in range(count)]


def median(runs: list[Run]) -> float:
    return statistics.median(r.wall for r in runs)


def median_cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu for r in runs)


def peak(runs: list[Run]) -> float:
    return max(r.peak_mib for r in runs)


def p95(runs: list[Run]) -> float:
    ordered = sorted(r.wall for r in runs)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class _TreeSampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self._done = root, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _tree_rss(self.root))
            self._done.wait(0.02)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except OSError:
            pass
        todo += children.get(pid, [])
    return total
