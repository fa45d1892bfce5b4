"""Helpers for Baserow's API: JWT headers for each identity, and the settings URL."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Caller

SESSION = "3b1f2c9e-5d6a-4e8f-9a7b-1c2d3e4f5a6b"


def settings_url(workspace_id: int) -> str:
    return f"/api/workspaces/{workspace_id}/settings/generative-ai/"


def jwt(caller: Caller, session: str | None = None, **extra: str) -> dict[str, str]:
    """Baserow's header, `Authorization: JWT <token>`, with a client session if given."""
    headers = {"Authorization": f"JWT {caller.token}", **extra}
    if session is not None:
        headers["ClientSessionId"] = session
    return headers


async def patch_settings(
    client: httpx.AsyncClient, headers: dict[str, str], body: Any, workspace_id: int = 1
) -> dict[str, Any]:
    response = await client.patch(settings_url(workspace_id), headers=headers, json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def get_settings(
    client: httpx.AsyncClient, headers: dict[str, str], workspace_id: int = 1
) -> dict[str, Any]:
    response = await client.get(settings_url(workspace_id), headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def undo(
    client: httpx.AsyncClient, headers: dict[str, str], scopes: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.patch("/api/user/undo/", headers=headers, json={"scopes": scopes or {}})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def redo(
    client: httpx.AsyncClient, headers: dict[str, str], scopes: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.patch("/api/user/redo/", headers=headers, json={"scopes": scopes or {}})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
