"""Pieces every benchmark shares: start aiport, wait for it, drive wrk, read its RESULT line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AIPORT = ROOT / ".venv" / "bin" / "aiport"
BOOTSTRAP_TOKEN = "bench-bootstrap-token-0123456789abcdefghij"


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    p999_ms: float
    mean_ms: float
    requests: int
    non2xx: int
    sock_err: int

    @property
    def errors(self) -> int:
        return self.non2xx + self.sock_err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed: apt-get install wrk (or make bench, which installs it)")
    return wrk


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{url} was not ready within {timeout:.0f} s")


class AiportServer:
    """`aiport serve` on a fresh SQLite data dir, with a known admin token."""

    def __init__(self, workers: int = 1, extra_env: dict[str, str] | None = None):
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.token = BOOTSTRAP_TOKEN
        self._dir = tempfile.TemporaryDirectory(prefix="aiport-bench-")
        self._extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> AiportServer:
        env = {
            **os.environ,
            "AIPORT_DATA_DIR": self._dir.name,
            "AIPORT_BOOTSTRAP_TOKEN": self.token,
            "AIPORT_LOG_LEVEL": "WARNING",
            **self._extra_env,
        }
        env.pop("AIPORT_DATABASE_URL", None)
        self._log = (Path(self._dir.name) / "server.log").open("wb")
        self.process = subprocess.Popen(
            [str(AIPORT), "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        wait_ready(f"{self.base_url}/healthz", self.process)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()
        self._dir.cleanup()


def run_wrk(
    url: str,
    *,
    script: Path,
    connections: int,
    duration_s: int,
    env: dict[str, str] | None = None,
    threads: int = 1,
) -> WrkResult:
    output = subprocess.run(
        [
            require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration_s}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in output.splitlines():
        if line.startswith("RESULT "):
            fields = dict(part.split("=", 1) for part in line.split()[1:])
            return WrkResult(
                rps=float(fields["rps"]),
                p50_ms=float(fields["p50_ms"]),
                p90_ms=float(fields["p90_ms"]),
                p99_ms=float(fields["p99_ms"]),
                p999_ms=float(fields["p999_ms"]),
                mean_ms=float(fields["mean_ms"]),
                requests=int(fields["requests"]),
                non2xx=int(fields["non2xx"]),
                sock_err=int(fields["sock_err"]),
            )
    raise RuntimeError(f"wrk printed no RESULT line:\n{output}")
