"""Clients on the app under test: httpx for the REST APIs, the official SDKs for the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anthropic
import httpx
import httpx2
import openai
from fastapi import FastAPI

APP_URL = "http://aiport.test"
# The address the app sees the test's requests come from.
CALLER_ADDRESS = ("203.0.113.7", 51000)


@asynccontextmanager
async def app_client(
    app: FastAPI, caller_address: tuple[str, int] = CALLER_ADDRESS
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=caller_address)
    async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as http:
        yield http


@asynccontextmanager
async def sdk_http(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """A client on the app, on `httpx2` as the `openai` and `anthropic` SDKs want it."""
    transport = httpx2.ASGITransport(app=app, client=CALLER_ADDRESS)
    async with httpx2.AsyncClient(transport=transport, base_url=APP_URL) as http:
        yield http


def openai_client(http: httpx2.AsyncClient, token: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        api_key=token, base_url=f"{APP_URL}/v1", http_client=http, max_retries=0
    )


def anthropic_client(http: httpx2.AsyncClient, token: str) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(
        api_key=token, base_url=APP_URL, http_client=http, max_retries=0
    )
