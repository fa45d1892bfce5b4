"""Helpers for the Xagent surface tests: registering models as a client would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from aiport.app import create_app
from aiport.config import Settings
from tests.factories import Caller

BASE = "/api/models"

# Exactly the keys of Xagent's ModelWithAccessInfo.
MODEL_KEYS = {
    "id",
    "model_id",
    "category",
    "model_provider",
    "model_name",
    "base_url",
    "temperature",
    "dimension",
    "abilities",
    "description",
    "created_at",
    "updated_at",
    "is_active",
    "is_owner",
    "can_edit",
    "can_delete",
    "is_shared",
}


def unique_model_id(prefix: str = "model") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def model_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model_id": unique_model_id(),
        "model_provider": "openai",
        "model_name": "gpt-4o",
        "api_key": "sk-test-registered-key-0123456789",
    }
    body.update(fields)
    return body


async def register(client: httpx.AsyncClient, caller: Caller, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        f"{BASE}/register", json=model_body(**fields), headers=caller.headers
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


@asynccontextmanager
async def xagent_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the test's database with other settings (a short timeout, …)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 51001))
        async with httpx.AsyncClient(transport=transport, base_url="http://aiport.test") as http:
            yield http
