"""Helpers for Coder's providers API: the owner (workspace 1's admin) and ready-made bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import Identities

API = "/api/v2/ai/providers"


def openai_body(name: str = "openai-main", **extra: Any) -> dict[str, Any]:
    return {"type": "openai", "name": name, "base_url": "https://api.openai.com/v1"} | extra


def bedrock_body(name: str = "bedrock-prod", **settings: Any) -> dict[str, Any]:
    return {
        "type": "bedrock",
        "name": name,
        "enabled": True,
        "base_url": "https://bedrock-runtime.us-east-1.amazonaws.com",
        "settings": {"_type": "bedrock", "_version": 1, "region": "us-east-1"} | settings,
    }


@pytest.fixture
def owner(ids: Identities) -> dict[str, str]:
    """Coder's site owner: here, the admin of the workspace the request acts in."""
    return {"Coder-Session-Token": ids.admin.token}


@pytest.fixture
def member(ids: Identities) -> dict[str, str]:
    return {"Coder-Session-Token": ids.member.token}


async def create(client: httpx.AsyncClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    response = await client.post(API, headers=headers, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
