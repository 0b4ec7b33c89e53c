"""`idura-cognito local` and `idura-cognito emulator` stop on SIGINT and SIGTERM alike, within seconds, and `local`
takes its servers (moto, the emulator) with it: no process left, no port still listening.

Every command here starts with SIGINT ignored, as a shell without job control starts a script's `cmd &` (POSIX,
Shell Command Language 2.11, https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_11).
Python then installs no KeyboardInterrupt handler, so a server that relies on it is deaf to Ctrl-C and `kill -INT`.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.paths import CLI
from tests.support.secrets import TEST_TOKEN

XDIST_SPREAD = True
STOP_SECONDS = 10  # a stop takes under a second here; the margin is for a loaded 2-core machine
START_SECONDS = 60

#: Runs its arguments with SIGINT ignored, as `sh -c 'cmd &'` does (an ignored signal stays ignored over exec).
IGNORING_SIGINT = (
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])",
)
SIGNALS = [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]


@pytest.fixture()
def start():
    """Start ``idura-cognito *args`` in a session of its own; whatever of it is left at the end is killed (a
    failing test leaves no server behind)."""
    started: list[subprocess.Popen] = []

    def starter(*args: str, cwd: Path) -> subprocess.Popen:
        started.append(_start(*args, cwd=cwd))
        return started[-1]

    yield starter
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its process group: the command and the servers it started
        process.wait()
        process.stdout.close()


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*IGNORING_SIGINT, CLI, *args],
        cwd=cwd,
        env={**os.environ, "IDURA_EMULATOR_TOKEN": TEST_TOKEN},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # no terminal, and nothing the test runner's own group receives reaches it
    )


def read_until(process: subprocess.Popen, marker: bytes, seconds: float = START_SECONDS) -> str:
    """The output until ``marker`` (without blocking past the deadline: a command that hangs fails the test)."""
    seen = b""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while marker not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0 and process.poll() is None, f"no {marker!r} in time: {seen.decode()}"
            if selector.select(timeout=remaining):
                chunk = os.read(process.stdout.fileno(), 65536)
                seen += chunk
                if not chunk:
                    break
    return seen.decode()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def stop(process: subprocess.Popen, number: int) -> tuple[float, str]:
    """Send ``number`` to the command alone; how long it took to exit, and the rest of its output."""
    sent = time.monotonic()
    process.send_signal(number)
    try:
        rest, _ = process.communicate(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{signal.Signals(number).name} did not stop it within {STOP_SECONDS} s")
    return time.monotonic() - sent, rest.decode()


def test_the_wrapper_starts_commands_with_sigint_ignored():
    shown = subprocess.run(
        [
            *IGNORING_SIGINT,
            sys.executable,
            "-c",
            "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "True"


@pytest.mark.parametrize("number", SIGNALS)
def test_local_stops_with_its_servers(start, tmp_path, number):
    process = start("local", "--dir", str(tmp_path / "local"), cwd=tmp_path)
    banner = read_until(process, b"stops both")
    ports = [int(line.split()[2].rsplit(":", 1)[1]) for line in banner.splitlines() if line[:5] in ("AWS (", "Idura")]
    servers = children(process.pid)
    assert len(ports) == 2 and all(map(listening, ports)) and len(servers) == 2, banner

    seconds, rest = stop(process, number)

    assert process.returncode == 0 and "stopped" in rest, rest
    assert seconds < STOP_SECONDS
    assert [pid for pid in servers if alive(pid)] == []
    assert [port for port in ports if listening(port)] == []


@pytest.mark.parametrize("number", SIGNALS)
def test_local_stopped_while_it_starts_leaves_no_server(start, tmp_path, number):
    process = start("local", "--dir", str(tmp_path / "local"), cwd=tmp_path)
    deadline = time.monotonic() + START_SECONDS
    while not (servers := children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert servers, "local started no server"

    _, rest = stop(process, number)  # moto is importing now: it listens about a second later

    assert process.returncode == 0 and "Traceback" not in rest, rest
    assert [pid for pid in servers + children(process.pid) if alive(pid)] == []


@pytest.mark.parametrize("number", SIGNALS)
def test_the_emulator_command_stops(start, tmp_path, number):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = start("emulator", "--port", str(port), cwd=tmp_path)
    read_until(process, b"management: /management/v1")
    deadline = time.monotonic() + START_SECONDS
    while not listening(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listening(port)

    seconds, rest = stop(process, number)

    assert process.returncode == 0 and "Traceback" not in rest, rest
    assert seconds < STOP_SECONDS and not listening(port)
