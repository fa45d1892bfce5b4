"""Gateway test helpers: providers made the way an admin makes them, and SDK clients on the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx
import httpx2
import openai
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from aiport.auth.principal import Principal
from aiport.db.engine import make_sessionmaker
from aiport.gateway.service import Gateway
from aiport.providers.schemas import BedrockSettings, ProviderCreate
from aiport.providers.service import ProviderService
from aiport.workspaces.access import WorkspaceAccess
from tests.factories import Identities

BASE = "http://aiport.test"


def gateway_of(app: FastAPI) -> Gateway:
    gateway: Gateway = app.state.gateway
    return gateway


async def create_provider(
    client: httpx.AsyncClient,
    ids: Identities,
    *,
    type: str,
    name: str,
    base_url: str,
    keys: list[str],
    enabled: bool = True,
) -> dict[str, Any]:
    """Through Coder's API, as an admin would."""
    response = await client.post(
        "/api/v2/ai/providers",
        headers=ids.admin.headers,
        json={
            "type": type,
            "name": name,
            "base_url": base_url,
            "enabled": enabled,
            "api_keys": keys,
        },
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def create_bedrock_provider(
    app: FastAPI, *, name: str, base_url: str, access_key: str, secret_key: str
) -> None:
    """Through the providers service (Coder's surface takes Bedrock keys inside `settings`)."""
    principal = Principal(
        user_id=1, email="admin@localhost", is_admin=True, token_id=0, token_workspace_id=None
    )
    access = WorkspaceAccess(workspace_id=1, role="admin", principal=principal)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await ProviderService(session, app.state.runtime.keyring, access).create(
            ProviderCreate(
                type="bedrock",
                name=name,
                base_url=base_url,
                enabled=True,
                bedrock=BedrockSettings(region="us-east-1"),
                aws_access_key=SecretStr(access_key),
                aws_access_key_secret=SecretStr(secret_key),
            )
        )


@pytest.fixture
async def asgi_http(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """A client on the app, on `httpx2` as the `openai` and `anthropic` SDKs want it."""
    transport = httpx2.ASGITransport(app=app, client=("203.0.113.7", 51000))
    async with httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


def openai_client(http: httpx2.AsyncClient, token: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(api_key=token, base_url=f"{BASE}/v1", http_client=http, max_retries=0)


def anthropic_client(http: httpx2.AsyncClient, token: str) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(api_key=token, base_url=BASE, http_client=http, max_retries=0)
