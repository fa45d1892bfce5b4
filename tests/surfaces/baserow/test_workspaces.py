"""`GET /api/workspaces/`: each of the caller's workspaces with its enabled models (item 15)."""

from __future__ import annotations

import httpx

from tests.factories import Identities
from tests.surfaces.baserow.support import jwt, patch_settings

KEY = "sk-listing-0123456789abcdef"


async def test_item15_members_see_the_enabled_models_and_never_a_key(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await patch_settings(client, jwt(ids.admin), {"openai": {"api_key": KEY, "models": ["gpt-4o"]}})
    response = await client.get("/api/workspaces/", headers=jwt(ids.member))
    assert response.status_code == 200
    (workspace,) = response.json()
    assert workspace["generative_ai_models_enabled"] == {"openai": ["gpt-4o"]}
    assert KEY not in response.text
    assert "sk-l...cdef" not in response.text


async def test_item15_each_workspace_has_baserows_fields_and_the_callers_permissions(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get("/api/workspaces/", headers=jwt(ids.member))
    (workspace,) = response.json()
    assert list(workspace) == [
        "id",
        "name",
        "users",
        "order",
        "permissions",
        "unread_notifications_count",
        "generative_ai_models_enabled",
    ]
    assert (workspace["id"], workspace["name"], workspace["permissions"]) == (
        1,
        "Default",
        "MEMBER",
    )
    assert workspace["generative_ai_models_enabled"] == {}
    users = {u["user_id"]: u for u in workspace["users"]}
    assert users[ids.admin.user_id]["permissions"] == "ADMIN"
    assert users[ids.member.user_id]["email"] == ids.member.email
    assert set(users[ids.member.user_id]) == {
        "id",
        "name",
        "email",
        "workspace",
        "permissions",
        "created_on",
        "user_id",
        "to_be_deleted",
    }


async def test_item15_only_the_callers_workspaces_are_listed(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    outsider = (await client.get("/api/workspaces/", headers=jwt(ids.outsider))).json()
    assert [w["id"] for w in outsider] == [ids.other_workspace_id]
    assert outsider[0]["permissions"] == "ADMIN"


async def test_the_workspace_list_needs_credentials(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/workspaces/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
