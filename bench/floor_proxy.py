"""The floor Python allows: a bare pass-through proxy, no auth, no routing, no accounting.

Starlette + one pooled aiohttp session, under uvicorn with uvloop and httptools. bench/gateway.py
runs it with 2 workers as the reference aiport's full gateway is held to (within 70% of it).

    UPSTREAM=http://127.0.0.1:18080 uvicorn bench.floor_proxy:app --workers 2 --loop uvloop --http httptools
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

UPSTREAM = os.environ.get("UPSTREAM", "http://127.0.0.1:18080")
session: aiohttp.ClientSession | None = None


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global session
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512))
    yield
    await session.close()


async def proxy(request: Request) -> Response:
    assert session is not None
    body = await request.body()
    upstream = await session.post(
        UPSTREAM + request.url.path, data=body, headers={"Content-Type": "application/json"}
    )
    if upstream.content_type == "text/event-stream":

        async def chunks() -> AsyncIterator[bytes]:
            async for data in upstream.content.iter_any():
                yield data
            upstream.release()

        return StreamingResponse(
            chunks(), status_code=upstream.status, media_type="text/event-stream"
        )
    data = await upstream.read()
    upstream.release()
    return Response(data, status_code=upstream.status, media_type="application/json")


async def health(_request: Request) -> Response:
    return Response(b'{"ok":true}', media_type="application/json")


app = Starlette(
    routes=[Route("/v1/chat/completions", proxy, methods=["POST"]), Route("/health", health)],
    lifespan=lifespan,
)
