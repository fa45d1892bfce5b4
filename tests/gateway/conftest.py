"""Gateway fixtures: a client on the app for the official SDKs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from fastapi import FastAPI

from tests.clients import sdk_http


@pytest.fixture
async def asgi_http(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """A client on the app, on `httpx2` as the `openai` and `anthropic` SDKs want it."""
    async with sdk_http(app) as http:
        yield http
