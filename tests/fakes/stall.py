"""Another request while a fake upstream holds one: what proves no route waits on a provider
inside a database transaction (on SQLite, every transaction holds the write lock)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass

import httpx

from tests.factories import Caller, post_provider, unique_name
from tests.fakes.server import FakeServer
from tests.polling import eventually


@dataclass(frozen=True)
class DuringStall:
    # How long the write took, and the stalled call's answer once it came.
    write_seconds: float
    write: httpx.Response
    stalled: httpx.Response


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
    server.answer_delay = delay
    seen = len(server.requests)
    call = asyncio.ensure_future(stalled)
    await eventually(lambda: len(server.requests) > seen, within=delay, what="the stalled call")
    started = time.perf_counter()
    # A write: a new provider through Coder's API.
    written = await post_provider(
        client,
        {"Coder-Session-Token": caller.token},
        {
            "type": "openai",
            "name": unique_name("w"),
            "base_url": "https://api.openai.com/v1",
            "api_keys": ["sk-written-while-stalled-0123456789"],
        },
    )
    elapsed = time.perf_counter() - started
    assert not call.done(), "the stalled call ended before the write did"
    return DuringStall(elapsed, written, await call)
