"""Pytest fixtures for the fakes; loaded for the whole suite from tests/conftest.py."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import aiohttp
import pytest

from aiport.adapters import OutboundPolicy, Upstream, make_client_session
from tests.fakes.catalog import FakeProvider, start_fake

StartFake = Callable[[str], Awaitable[FakeProvider]]


@pytest.fixture
async def fake_provider() -> AsyncIterator[StartFake]:
    """`await fake_provider("openai")`: a running fake of that type, stopped after the test."""
    async with AsyncExitStack() as stack:

        async def start(provider_type: str) -> FakeProvider:
            return await stack.enter_async_context(start_fake(provider_type))

        yield start


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: an unreachable upstream."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session made like the app's, private upstreams allowed (the fakes are on loopback)."""
    session = make_client_session(
        OutboundPolicy(allow_private=True), connect_timeout=2, read_timeout=5
    )
    try:
        yield session
    finally:
        await session.close()


@pytest.fixture
def upstream(http_session: aiohttp.ClientSession) -> Upstream:
    return Upstream(http_session, aiohttp.ClientTimeout(total=5, sock_connect=2, sock_read=5))
