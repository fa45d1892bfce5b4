"""A caller hanging up mid-stream closes the upstream stream: the provider stops generating."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from aiohttp import web
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import UsageRecord
from tests.factories import Identities, create_provider, provider_body, unique_name
from tests.fakes.server import FakeServer
from tests.gateway.support import gateway_of
from tests.polling import eventually

# Seconds between two chunks: an upstream that is slow to finish, on purpose.
TICK = 0.05
CHUNK = b'data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"tick "},"finish_reason":null}]}\n\n'


class EndlessStream(FakeServer):
    """Streams a chunk every TICK s for ten seconds, and notes whether the reader left early."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0
        self.reader_left = asyncio.Event()

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self.chat)

    async def chat(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        try:
            for _ in range(200):
                await response.write(CHUNK)
                self.sent += 1
                await asyncio.sleep(TICK)
        except (ConnectionError, asyncio.CancelledError):
            self.reader_left.set()
            raise
        return response


@pytest.fixture
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The app behind a real uvicorn server on loopback (httpx's ASGI transport cannot hang up)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, what="uvicorn started")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def test_a_caller_hanging_up_mid_stream_closes_the_upstream(
    app: FastAPI, client: httpx.AsyncClient, ids: Identities, served: str
) -> None:
    async with EndlessStream() as upstream:
        name = unique_name("dc")
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(name, type="openai", base_url=upstream.base_url, keys=["sk-" + "z" * 30]),
        )
        body = {
            "model": f"{name}/m",
            "messages": [{"role": "user", "content": "go"}],
            "stream": True,
        }
        async with (
            httpx.AsyncClient(base_url=served, timeout=10) as http,
            http.stream(
                "POST", "/v1/chat/completions", headers=ids.member.headers, json=body
            ) as response,
        ):
            assert response.status_code == 200
            async for data in response.aiter_raw():
                assert b"tick" in data
                break

        await asyncio.wait_for(upstream.reader_left.wait(), timeout=5)

    assert upstream.sent < 100
    await gateway_of(app).usage.flush()
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        statuses = (await session.execute(select(UsageRecord.status))).scalars().all()
    assert statuses == [499]
