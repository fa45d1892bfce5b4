"""Two aiport server processes on one PostgreSQL and one Redis, as behind a load balancer.

A key rotated or deleted through instance A is not used by instance B on its very next request,
and a rate limit holds across both. Runs on every pass of the suite (it brings its own PostgreSQL
database, next to the one the suite was given, and a Redis database of its own).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis.asyncio

from aiport.vault import KeyRing
from tests.fakes.openai import FakeOpenAI
from tests.pg import PostgresDatabases

POSTGRES = (
    os.environ.get("AIPORT_TEST_DATABASE_URL")
    or "postgresql+asyncpg://postgres@127.0.0.1:5432/aiport_gateway"
)
REDIS = os.environ.get("AIPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379")
TOKEN = "two-instances-bootstrap-token-0123456789"
LIMIT = 4
AIPORT = Path(sys.executable).parent / "aiport"


@dataclass
class Instances:
    a: httpx.AsyncClient
    b: httpx.AsyncClient


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _serve(env: dict[str, str], logs: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    with (logs / f"{port}.log").open("wb") as log:
        # Real server processes are the point of this test.
        process = subprocess.Popen(  # noqa: ASYNC220
            [str(AIPORT), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError((logs / f"{port}.log").read_text())
            try:
                if (await http.get(f"{url}/readyz")).status_code == 200:
                    return process, url
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError(f"aiport on {port} did not start")


CLAIM = "aiport:test:two-instances"


@asynccontextmanager
async def own_redis_database() -> AsyncIterator[str]:
    """The URL of a Redis database no one else uses: the first empty one, claimed atomically
    (so a concurrent run takes another). On exit only the keys made in it are deleted."""
    run = uuid.uuid4().hex
    for number in range(1, 16):
        url = f"{REDIS}/{number}"
        store = redis.asyncio.Redis.from_url(url)
        try:
            claimed = await store.set(CLAIM, run, nx=True, ex=3600)
            if claimed and await store.dbsize() == 1:
                try:
                    yield url
                finally:
                    made = [key async for key in store.scan_iter("aiport:*")]
                    await store.delete(*made)
                return
            if claimed:  # not empty: someone else's data
                await store.delete(CLAIM)
        finally:
            await store.aclose()
    pytest.skip("no empty Redis database to claim")


@pytest.fixture
async def instances() -> AsyncIterator[Instances]:
    async with own_redis_database() as redis_url, PostgresDatabases(POSTGRES) as databases:
        database = await databases.create_template()
        url = databases._url_for(database)
        with tempfile.TemporaryDirectory() as logs:
            base_env = {
                **os.environ,
                "AIPORT_DATABASE_URL": url,
                "AIPORT_REDIS_URL": redis_url,
                "AIPORT_SECRET_KEYS": KeyRing.generate_key(),
                "AIPORT_BOOTSTRAP_TOKEN": TOKEN,
                "AIPORT_GATEWAY_RATE_LIMIT_PER_TOKEN": str(LIMIT),
                # One window for the whole test, so no boundary falls inside it.
                "AIPORT_GATEWAY_RATE_LIMIT_WINDOW": "1000000000",
                "AIPORT_LOG_LEVEL": "WARNING",
            }
            processes = []
            try:
                for name in ("a", "b"):
                    data = Path(logs) / name
                    data.mkdir()
                    processes.append(
                        await _serve({**base_env, "AIPORT_DATA_DIR": str(data)}, Path(logs))
                    )
                headers = {"Authorization": f"Bearer {TOKEN}"}
                async with (
                    httpx.AsyncClient(base_url=processes[0][1], headers=headers, timeout=10) as a,
                    httpx.AsyncClient(base_url=processes[1][1], headers=headers, timeout=10) as b,
                ):
                    yield Instances(a, b)
            finally:
                for process, _url in processes:
                    process.terminate()
                for process, _url in processes:
                    process.wait(timeout=15)
        await databases.drop(database)


async def test_a_change_through_one_instance_is_seen_by_the_other_at_once(
    instances: Instances,
) -> None:
    async with FakeOpenAI(keys=None) as upstream:
        old, new = "sk-old-" + "1" * 30, "sk-new-" + "2" * 30
        created = await instances.a.post(
            "/api/v2/ai/providers",
            json={
                "type": "openai",
                "name": "shared",
                "base_url": upstream.base_url,
                "enabled": True,
                "api_keys": [old],
            },
        )
        assert created.status_code == 201, created.text
        # A separate token for the gateway calls, so the rate limit below starts from zero.
        issued = await instances.a.post("/api/v1/tokens", json={"name": "gateway"})
        assert issued.status_code == 201, issued.text
        caller = {"Authorization": f"Bearer {issued.json()['token']}"}
        body = {"model": "shared/gpt-4o", "messages": [{"role": "user", "content": "hi"}]}

        before = await instances.b.post("/v1/chat/completions", headers=caller, json=body)
        rotated = await instances.a.patch(
            f"/api/v2/ai/providers/{created.json()['id']}", json={"api_keys": [{"api_key": new}]}
        )
        after = await instances.b.post("/v1/chat/completions", headers=caller, json=body)
        deleted = await instances.a.delete(f"/api/v2/ai/providers/{created.json()['id']}")
        gone = await instances.b.post("/v1/chat/completions", headers=caller, json=body)

    assert (before.status_code, rotated.status_code, after.status_code) == (200, 200, 200)
    used = [r.headers["authorization"] for r in upstream.requests_to("/chat/completions")]
    assert used == [f"Bearer {old}", f"Bearer {new}"]
    assert (deleted.status_code, gone.status_code) == (204, 404)

    # The limit counts across both instances: LIMIT calls in all, then 429 from either.
    statuses = []
    for index in range(LIMIT):
        instance = instances.a if index % 2 else instances.b
        statuses.append((await instance.get("/v1/models", headers=caller)).status_code)
    over_a = await instances.a.get("/v1/models", headers=caller)
    over_b = await instances.b.get("/v1/models", headers=caller)

    # 3 chat calls above were counted too.
    assert statuses[: LIMIT - 3] == [200] * (LIMIT - 3)
    assert set(statuses[LIMIT - 3 :]) == {429}
    assert (over_a.status_code, over_b.status_code) == (429, 429)
    assert over_b.json()["error"]["code"] == "rate_limited"
