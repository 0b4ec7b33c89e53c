"""Start local servers as child processes on free loopback ports, and stop them reliably."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from idura_verify.program import environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


#: A local server gets the basics of a process and nothing else (no cloud credentials, no management token).
_SERVER_VARIABLES = ("PATH", "HOME", "LANG", "TMPDIR", "TZ", "SYSTEMROOT")


def start_server(
    name: str, args: list[str], port: int, log_dir: Path, timeout: float = 20.0, env: dict[str, str] | None = None
) -> LocalServer:
    """Run ``python <args>`` and wait until ``port`` accepts connections; the log goes to ``log_dir``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    server = None
    # A stop signal (stop_on_signals) that lands between the fork and the moment the server is known would leave
    # it running with nobody to stop it: the signals wait, blocked, until `server` is set (the child unblocks them
    # for itself before it runs), and a pending one is raised below, where the server is stopped.
    _block_stop_signals(True)
    try:
        try:
            with log.open("wb") as out:
                process = subprocess.Popen(
                    # -P: the current folder is not on the path, so a module lying there (a `trustme.py` in the
                    # folder where `demo` runs) is never imported into a server that holds the emulator's token.
                    [sys.executable, "-P", *args],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env={k: os.environ[k] for k in _SERVER_VARIABLES if k in os.environ} | (env or {}),
                    preexec_fn=_unblock_in_child if _CAN_BLOCK else None,  # noqa: PLW1509 - no threads start servers
                )
            server = LocalServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
        finally:
            _block_stop_signals(False)
        _wait_until_listening(name, server, port, timeout)
    except BaseException:  # StopRequested or Ctrl-C while it starts, too: the caller never got it to stop
        if server is not None:
            server.stop()
        raise
    return server


_CAN_BLOCK = hasattr(signal, "pthread_sigmask")


def _block_stop_signals(block: bool) -> None:
    if _CAN_BLOCK:
        signal.pthread_sigmask(signal.SIG_BLOCK if block else signal.SIG_UNBLOCK, STOP_SIGNALS)


def _unblock_in_child() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _wait_until_listening(name: str, server: LocalServer, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited at start (code {server.process.returncode}); see {server.log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout:.0f} s; see {server.log}")


#: What a person (Ctrl-C, ``kill -INT``) and a service manager (``kill``, systemd, Docker) send to stop a server.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequested(Exception):  # noqa: N818 - a request, not an error
    """SIGINT or SIGTERM arrived inside ``stop_on_signals`` (raised in the main thread, where Python runs handlers)."""


def _request_stop(number: int, _frame) -> None:
    raise StopRequested(signal.Signals(number).name)


def _already_stopping(_number: int, _frame) -> None:
    """A second SIGINT/SIGTERM while the servers stop: the stop is under way and bounded (LocalServer.stop)."""


@contextlib.contextmanager
def stop_on_signals() -> Iterator[list[LocalServer]]:
    """Run the block with SIGINT and SIGTERM raising StopRequested; stop every server appended to the yielded
    list when the block ends, however it ends, and swallow the StopRequested.

    The handlers are installed whatever the process inherited. A shell without job control (a script's
    ``cmd &``) starts a background command with SIGINT ignored (POSIX, Shell Command Language 2.11,
    https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_11), and Python then installs
    no KeyboardInterrupt handler (https://docs.python.org/3/library/signal.html#general-rules): without this,
    Ctrl-C and ``kill -INT`` would do nothing. A blocked signal would stay pending, so both are unblocked too,
    before any server starts (a child inherits the signal mask). The servers stop on the SIGTERM of
    ``LocalServer.stop``: moto and uvicorn handle it, and before they do, its default action ends a server that is
    still starting.
    """
    previous = {number: signal.signal(number, _request_stop) for number in STOP_SIGNALS}
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    servers: list[LocalServer] = []
    try:
        yield servers
    except StopRequested:
        pass
    finally:
        for number in STOP_SIGNALS:
            signal.signal(number, _already_stopping)
        for server in reversed(servers):
            server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)


def start_moto(log_dir: Path, port: int | None = None, faults_dir: Path | None = None) -> LocalServer:
    """moto with the product's fidelity fixes; ``faults_dir`` enables its one test fault (moto_server.py)."""
    from .moto_server import FAULTS_ENV

    port = port or free_port()
    args = ["-m", "idura_cognito.local.moto_server", "-H", "127.0.0.1", "-p", str(port)]
    return start_server("moto", args, port, log_dir, env={FAULTS_ENV: str(faults_dir)} if faults_dir else None)


@dataclass
class IduraEmulator:
    """A running Idura emulator: its domain (``localhost:PORT``), management URL, token and CA file."""

    server: LocalServer
    domain: str
    management_url: str
    token: str
    ca_file: Path

    @property
    def base_url(self) -> str:
        return f"https://{self.domain}"

    def environment(self) -> dict[str, str]:
        """What the external program needs: management URL and token, and the CA of the test TLS."""
        return {
            environment.MANAGEMENT_URL: self.management_url,
            environment.MANAGEMENT_TOKEN: self.token,
            environment.MANAGEMENT_TENANT: environment.EMULATOR_TENANT,
            environment.CA_BUNDLE: str(self.ca_file),
        }

    def stop(self) -> None:
        self.server.stop()


def start_idura_emulator(state_dir: Path, token: str, port: int | None = None) -> IduraEmulator:
    """Start ``python -m idura_verify.emulator`` over HTTPS with a throwaway CA in ``state_dir``."""
    port = port or free_port()
    args = ["-m", "idura_verify.emulator", "--port", str(port), "--tls", "--cert-dir", str(state_dir / "tls")]
    # The token goes through the environment: never on a command line (other users can read those).
    server = start_server("idura-emulator", args, port, state_dir, env={environment.EMULATOR_TOKEN: token})
    domain = f"localhost:{port}"
    return IduraEmulator(server, domain, f"https://{domain}/management/v1", token, state_dir / "tls" / "ca.pem")
