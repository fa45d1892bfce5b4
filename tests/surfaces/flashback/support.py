"""Helpers for Flashback's `/ai/llm`: request bodies, creating a configuration, reading lists."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Provider
from tests.factories import Caller

API = "/ai/llm"
OPENAI_SECRET = "sk-proj-flashback-secret-0123456789abcdef"


def llm_body(
    name: Any = "My OpenAI Config", *, workspace_id: str = "1", **overrides: Any
) -> dict[str, Any]:
    """Flashback's documented create body, for OpenAI unless overridden."""
    return {
        "name": name,
        "aiType": "OPENAI",
        "endpoint": "https://api.openai.com/v1",
        "key": "optional-access-key",
        "secret": OPENAI_SECRET,
        "workspaceId": workspace_id,
    } | overrides


async def create_llm(client: httpx.AsyncClient, caller: Caller, **body: Any) -> str:
    """Create through `POST /ai/llm` and return the new `aiLlmId`."""
    name = body.pop("name", "My OpenAI Config")
    response = await client.post(API, headers=caller.headers, json=llm_body(name, **body))
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    assert created["success"] is True
    return str(created["aiLlmId"])


async def list_llms(
    client: httpx.AsyncClient, caller: Caller, path: str = API, **params: str
) -> list[dict[str, Any]]:
    response = await client.get(path, headers=caller.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is True
    assert set(body) == {"success", "aiLlms"}
    llms: list[dict[str, Any]] = body["aiLlms"]
    return llms


def assert_error(response: httpx.Response, status: int, message: str | None = None) -> None:
    """Flashback's error envelope: exactly `{success: false, message: <non-empty>}`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"success", "message"}
    assert body["success"] is False
    assert isinstance(body["message"], str)
    assert body["message"]
    if message is not None:
        assert body["message"] == message


async def stored_provider(app: FastAPI, provider_id: str) -> Provider:
    """The provider row as stored (soft-deleted ones too), credentials loaded."""
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        provider = await session.get(Provider, uuid.UUID(provider_id))
        assert provider is not None
        return provider
