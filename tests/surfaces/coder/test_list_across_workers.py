"""The provider list is cached per process; a change made through one worker must be seen by
the other worker's very next list (SQLite, two workers: the shared change counter)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.polling import eventually

TOKEN = "list-across-workers-token-0123456789abcdef"
AIPORT = Path(sys.executable).parent / "aiport"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def two_workers(tmp_path: Path) -> AsyncIterator[str]:
    port = _port()
    env = {
        **os.environ,
        "AIPORT_DATA_DIR": str(tmp_path),
        "AIPORT_BOOTSTRAP_TOKEN": TOKEN,
        "AIPORT_LOG_LEVEL": "WARNING",
    }
    env.pop("AIPORT_DATABASE_URL", None)
    with (tmp_path / "server.log").open("wb") as log:
        # A real server with two worker processes is the point of this test.
        process = subprocess.Popen(  # noqa: ASYNC220
            [str(AIPORT), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:

            async def ready() -> bool:
                try:
                    return (await http.get(f"{url}/readyz")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(ready, within=60, what="two workers ready")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _names(url: str) -> list[str]:
    # A new connection each time, so the two workers both answer over the loop.
    async with httpx.AsyncClient(headers={"Coder-Session-Token": TOKEN}) as http:
        response = await http.get(f"{url}/api/v2/ai/providers")
        assert response.status_code == 200
        return [p["name"] for p in response.json()]


async def test_a_change_through_one_worker_is_listed_by_both_at_once(two_workers: str) -> None:
    for _ in range(6):
        assert await _names(two_workers) == []
    async with httpx.AsyncClient(headers={"Coder-Session-Token": TOKEN}) as http:
        created = await http.post(
            f"{two_workers}/api/v2/ai/providers",
            json={"type": "openai", "name": "seen-everywhere", "base_url": "https://a.example/v1"},
        )
        assert created.status_code == 201
    for _ in range(10):
        assert await _names(two_workers) == ["seen-everywhere"]
    async with httpx.AsyncClient(headers={"Coder-Session-Token": TOKEN}) as http:
        deleted = await http.delete(f"{two_workers}/api/v2/ai/providers/seen-everywhere")
        assert deleted.status_code == 204
    for _ in range(10):
        assert await _names(two_workers) == []
