"""`/api/v1/tokens`: create (the token is shown once), list (never the token), delete."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import AuditEvent
from aiport.db.types import utcnow
from tests.factories import Identities
from tests.polling import eventually
from tests.surfaces.native.support import Roles, bearer

TOKEN_FIELDS = {
    "id",
    "name",
    "prefix",
    "user_id",
    "workspace_id",
    "expires_at",
    "last_used_at",
    "created_at",
}


async def test_create_token_shows_it_once(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post("/api/v1/tokens", json={"name": "ci"}, headers=ids.member.headers)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == TOKEN_FIELDS | {"token"}
    assert body["name"] == "ci"
    assert body["user_id"] == ids.member.user_id
    assert body["workspace_id"] is None
    assert body["token"].startswith(body["prefix"])
    me = await client.get("/api/v1/users/me", headers=bearer(body["token"]))
    assert me.json()["id"] == ids.member.user_id


async def test_token_listing_never_shows_a_token(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = (
        await client.post("/api/v1/tokens", json={"name": "ci"}, headers=ids.member.headers)
    ).json()
    response = await client.get("/api/v1/tokens", headers=ids.member.headers)
    assert response.status_code == 200
    listed = response.json()
    assert all(set(t) == TOKEN_FIELDS for t in listed)
    assert created["token"] not in response.text
    assert ids.member.token not in response.text
    assert [t["id"] for t in listed][-1] == created["id"]


async def test_token_listing_is_the_callers_only(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get("/api/v1/tokens", headers=ids.member.headers)
    assert {t["user_id"] for t in response.json()} == {ids.member.user_id}


async def test_token_bound_to_a_workspace_of_the_caller(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens", json={"name": "ws", "workspace_id": 1}, headers=ids.member.headers
    )
    assert response.status_code == 201
    assert response.json()["workspace_id"] == 1


async def test_token_for_a_workspace_the_caller_is_not_in_is_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "ws", "workspace_id": ids.other_workspace_id},
        headers=ids.member.headers,
    )
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"


async def test_token_for_a_workspace_that_does_not_exist_is_the_same_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens", json={"name": "ws", "workspace_id": 999}, headers=ids.member.headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"


async def test_bound_token_mints_tokens_bound_to_its_workspace(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    bound = (
        await client.post(
            "/api/v1/tokens", json={"name": "b", "workspace_id": 1}, headers=ids.member.headers
        )
    ).json()
    response = await client.post(
        "/api/v1/tokens", json={"name": "c"}, headers=bearer(bound["token"])
    )
    assert response.status_code == 201
    assert response.json()["workspace_id"] == 1


async def test_bound_token_cannot_mint_a_token_for_another_workspace(
    client: httpx.AsyncClient, roles: Roles
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "escape", "workspace_id": roles.workspace_id},
        headers=roles.headers["bound_elsewhere"],
    )
    assert response.status_code == 404


async def test_token_with_an_expiry_stops_working_after_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    # Real time passes: the token is used (and so cached) before its expiry, refused after it.
    expires_at = (utcnow() + timedelta(seconds=1.5)).isoformat()
    created = (
        await client.post(
            "/api/v1/tokens",
            json={"name": "short", "expires_at": expires_at},
            headers=ids.member.headers,
        )
    ).json()
    assert created["expires_at"] is not None
    assert (
        await client.get("/api/v1/users/me", headers=bearer(created["token"]))
    ).status_code == 200

    async def refused() -> bool:
        answer = await client.get("/api/v1/users/me", headers=bearer(created["token"]))
        return answer.status_code != 200

    await eventually(refused, within=5, what="the token stopped working")
    assert utcnow() >= datetime.fromisoformat(expires_at)
    response = await client.get("/api/v1/users/me", headers=bearer(created["token"]))
    assert response.status_code == 401
    assert response.json()["title"] == "the API token has expired"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_token_expiring_in_the_past_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "old", "expires_at": "2000-01-01T00:00:00Z"},
        headers=ids.member.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires_at"


async def test_token_expiry_without_a_zone_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "naive", "expires_at": "2999-01-01T00:00:00"},
        headers=ids.member.headers,
    )
    assert response.status_code == 422


async def test_instance_admin_creates_a_token_for_another_user(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "for-member", "user_id": ids.member.user_id, "workspace_id": 1},
        headers=ids.admin.headers,
    )
    assert response.status_code == 201
    me = await client.get("/api/v1/users/me", headers=bearer(response.json()["token"]))
    assert me.json()["id"] == ids.member.user_id


async def test_instance_admin_cannot_bind_a_token_to_a_workspace_its_owner_is_not_in(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "x", "user_id": ids.member.user_id, "workspace_id": ids.other_workspace_id},
        headers=ids.admin.headers,
    )
    assert response.status_code == 404


async def test_token_for_an_unknown_user_is_404(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/tokens", json={"name": "x", "user_id": 9999}, headers=ids.admin.headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"


async def test_member_cannot_create_a_token_for_another_user(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "x", "user_id": ids.outsider.user_id},
        headers=ids.member.headers,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_instance_admin"


async def test_delete_token_revokes_it(client: httpx.AsyncClient, ids: Identities) -> None:
    created = (
        await client.post("/api/v1/tokens", json={"name": "gone"}, headers=ids.member.headers)
    ).json()
    response = await client.delete(f"/api/v1/tokens/{created['id']}", headers=ids.member.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (
        await client.get("/api/v1/users/me", headers=bearer(created["token"]))
    ).status_code == 401


async def test_a_token_can_delete_itself(client: httpx.AsyncClient, ids: Identities) -> None:
    created = (
        await client.post("/api/v1/tokens", json={"name": "self"}, headers=ids.member.headers)
    ).json()
    own = bearer(created["token"])
    assert (await client.delete(f"/api/v1/tokens/{created['id']}", headers=own)).status_code == 204
    assert (await client.get("/api/v1/users/me", headers=own)).status_code == 401


async def test_deleting_another_users_token_is_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = (
        await client.post("/api/v1/tokens", json={"name": "mine"}, headers=ids.member.headers)
    ).json()
    response = await client.delete(f"/api/v1/tokens/{created['id']}", headers=ids.admin.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "token_not_found"
    assert (
        await client.get("/api/v1/users/me", headers=bearer(created["token"]))
    ).status_code == 200


async def test_deleting_an_unknown_token_is_404(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.delete("/api/v1/tokens/424242", headers=ids.member.headers)
    assert response.status_code == 404


async def test_token_changes_are_audited_without_the_token(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    created = (
        await client.post(
            "/api/v1/tokens",
            json={"name": "audited", "workspace_id": 1},
            headers=ids.member.headers,
        )
    ).json()
    await client.delete(f"/api/v1/tokens/{created['id']}", headers=ids.member.headers)
    events = (
        await session.scalars(
            select(AuditEvent)
            .where(AuditEvent.target_type == "token", AuditEvent.target_id == str(created["id"]))
            .order_by(AuditEvent.id)
        )
    ).all()
    assert [e.action for e in events] == ["token.create", "token.delete"]
    assert all(e.workspace_id == 1 and e.actor_user_id == ids.member.user_id for e in events)
    assert events[0].diff["name"] == "audited"
    assert all(created["token"] not in str(e.diff) for e in events)
    assert all(created["prefix"] not in str(e.diff) for e in events)
