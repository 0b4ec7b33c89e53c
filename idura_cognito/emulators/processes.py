"""Start local servers as child processes on free loopback ports, and stop them reliably."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


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


def start_server(name: str, args: list[str], port: int, log_dir: Path, timeout: float = 20.0) -> LocalServer:
    """Run ``python <args>`` and wait until ``port`` accepts connections; the log goes to ``log_dir``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(os.environ),
        )
    server = LocalServer(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start (code {process.returncode}); see {log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout:.0f} s; see {log}")


def start_moto(log_dir: Path, port: int | None = None) -> LocalServer:
    port = port or free_port()
    args = ["-m", "idura_cognito.emulators.moto_server", "-H", "127.0.0.1", "-p", str(port)]
    return start_server("moto", args, port, log_dir)


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
            "IDURA_MANAGEMENT_URL": self.management_url,
            "IDURA_MANAGEMENT_TOKEN": self.token,
            "IDURA_CA_BUNDLE": str(self.ca_file),
        }

    def stop(self) -> None:
        self.server.stop()


def start_idura_emulator(state_dir: Path, token: str, port: int | None = None) -> IduraEmulator:
    """Start ``python -m idura_verify.emulator`` over HTTPS with a throwaway CA in ``state_dir``."""
    port = port or free_port()
    args = ["-m", "idura_verify.emulator", "--port", str(port), "--tls", "--cert-dir", str(state_dir / "tls")]
    saved = os.environ.get("IDURA_EMULATOR_TOKEN")
    os.environ["IDURA_EMULATOR_TOKEN"] = token  # through the environment: never on a command line
    try:
        server = start_server("idura-emulator", args, port, state_dir)
    finally:
        if saved is None:
            os.environ.pop("IDURA_EMULATOR_TOKEN", None)
        else:
            os.environ["IDURA_EMULATOR_TOKEN"] = saved
    domain = f"localhost:{port}"
    return IduraEmulator(server, domain, f"https://{domain}/management/v1", token, state_dir / "tls" / "ca.pem")
