"""Helpers for the Xagent surface tests: the API's path and shape, and a second app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from aiport.app import create_app
from aiport.config import Settings
from tests.clients import app_client

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


@asynccontextmanager
async def xagent_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the test's database with other settings (a short timeout, …)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app), app_client(app, ("203.0.113.8", 51001)) as http:
        yield http
