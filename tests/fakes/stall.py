"""Another request while a fake upstream holds one: what proves no route waits on a provider
inside a database transaction (on SQLite, every transaction holds the write lock)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass

import httpx

from tests.factories import Caller
from tests.fakes.server import FakeServer


@dataclass(frozen=True)
class DuringStall:
    # How long the write took, and the stalled call's answer once it came.
    write_seconds: float
    write: httpx.Response
    stalled: httpx.Response


async def create_provider(client: httpx.AsyncClient, caller: Caller) -> httpx.Response:
    """A write: a new provider through Coder's API."""
    return await client.post(
        "/api/v2/ai/providers",
        headers={"Coder-Session-Token": caller.token},
        json={
            "type": "openai",
            "name": f"w-{uuid.uuid4().hex[:8]}",
            "base_url": "https://api.openai.com/v1",
            "api_keys": ["sk-written-while-stalled-0123456789"],
        },
    )


async def write_during_stall(
    server: FakeServer,
    stalled: Awaitable[httpx.Response],
    client: httpx.AsyncClient,
    caller: Caller,
    *,
    delay: float,
) -> DuringStall:
    """Start `stalled` (the fake holds every answer `delay` s); once the fake has the request,
    create a provider, and check the write was done while the stalled call still waited."""
    server.delay = delay
    seen = len(server.requests)
    call = asyncio.ensure_future(stalled)
    async with asyncio.timeout(delay):
        # The fake records requests into a list: there is no event to wait on.
        while len(server.requests) == seen:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    started = time.perf_counter()
    written = await create_provider(client, caller)
    elapsed = time.perf_counter() - started
    assert not call.done(), "the stalled call ended before the write did"
    return DuringStall(elapsed, written, await call)
