"""`/api/v1/workspaces` and their members."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import AuditEvent, Membership
from tests.factories import Identities
from tests.surfaces.native.support import Roles


async def test_create_workspace_makes_the_creator_its_admin(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/workspaces", json={"name": "  Research "}, headers=ids.member.headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Research"
    assert body["role"] == "admin"
    members = await client.get(
        f"/api/v1/workspaces/{body['id']}/members", headers=ids.member.headers
    )
    assert [(m["user_id"], m["role"]) for m in members.json()] == [(ids.member.user_id, "admin")]


async def test_workspace_names_need_not_be_unique(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    first = await client.post(
        "/api/v1/workspaces", json={"name": "Same"}, headers=ids.member.headers
    )
    second = await client.post(
        "/api/v1/workspaces", json={"name": "Same"}, headers=ids.member.headers
    )
    assert second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


async def test_workspace_creation_is_audited(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    created = (
        await client.post(
            "/api/v1/workspaces", json={"name": "Audited"}, headers=ids.member.headers
        )
    ).json()
    event = (
        await session.scalars(select(AuditEvent).where(AuditEvent.action == "workspace.create"))
    ).one()
    assert event.workspace_id == created["id"]
    assert event.diff == {"name": "Audited"}


async def test_list_workspaces_gives_the_callers_role_in_each(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = (
        await client.post("/api/v1/workspaces", json={"name": "Mine"}, headers=ids.member.headers)
    ).json()
    response = await client.get("/api/v1/workspaces", headers=ids.member.headers)
    assert response.status_code == 200
    assert [(w["id"], w["role"]) for w in response.json()] == [
        (1, "member"),
        (created["id"], "admin"),
    ]
    assert response.json()[0]["name"] == "Default"


async def test_list_workspaces_with_a_bound_token_shows_only_its_workspace(
    client: httpx.AsyncClient, roles: Roles
) -> None:
    response = await client.get("/api/v1/workspaces", headers=roles.headers["bound_elsewhere"])
    assert [w["id"] for w in response.json()] == [roles.other_workspace_id]


async def test_list_members(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.get("/api/v1/workspaces/1/members", headers=ids.member.headers)
    assert response.status_code == 200
    members = response.json()
    assert [(m["user_id"], m["role"]) for m in members] == [
        (ids.admin.user_id, "admin"),
        (ids.member.user_id, "member"),
    ]
    assert members[1]["email"] == ids.member.email
    assert members[1]["workspace_id"] == 1


async def test_put_member_adds_a_user(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.outsider.user_id}",
        json={"role": "member"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 200
    assert response.json() == {"workspace_id": 1, "user_id": ids.outsider.user_id, "role": "member"}
    workspaces = await client.get("/api/v1/workspaces", headers=ids.outsider.headers)
    assert (1, "member") in [(w["id"], w["role"]) for w in workspaces.json()]


async def test_put_member_changes_a_role(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}",
        json={"role": "admin"},
        headers=ids.admin.headers,
    )
    assert response.json()["role"] == "admin"
    membership = await session.get(Membership, (1, ids.member.user_id))
    assert membership is not None
    assert membership.role == "admin"


async def test_put_member_with_the_same_role_changes_nothing(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    members = "/api/v1/workspaces/1/members"
    before = (await client.get(members, headers=ids.admin.headers)).json()
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}",
        json={"role": "member"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 200
    # Read back before `session` opens its transaction (on SQLite it holds the write lock).
    assert (await client.get(members, headers=ids.admin.headers)).json() == before
    puts = (
        await session.scalars(select(AuditEvent).where(AuditEvent.action == "member.put"))
    ).all()
    assert puts == []


async def test_put_member_is_audited(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    await client.put(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}",
        json={"role": "admin"},
        headers=ids.admin.headers,
    )
    event = (
        await session.scalars(select(AuditEvent).where(AuditEvent.action == "member.put"))
    ).one()
    assert event.workspace_id == 1
    assert event.actor_user_id == ids.admin.user_id
    assert event.diff == {"user_id": ids.member.user_id, "role": "admin", "previous_role": "member"}


async def test_put_member_for_an_unknown_user_is_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.put(
        "/api/v1/workspaces/1/members/9999", json={"role": "member"}, headers=ids.admin.headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"


async def test_put_member_with_an_unknown_role_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}",
        json={"role": "owner"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


async def test_the_last_admin_cannot_be_demoted(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.admin.user_id}",
        json={"role": "member"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "last_workspace_admin"
    assert problem["title"] == f"user {ids.admin.user_id} is the last admin of workspace 1"
    assert problem["detail"] == "make another member an admin first"


async def test_an_admin_can_step_down_when_another_admin_remains(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await client.put(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}",
        json={"role": "admin"},
        headers=ids.admin.headers,
    )
    response = await client.put(
        f"/api/v1/workspaces/1/members/{ids.admin.user_id}",
        json={"role": "member"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 200


async def test_the_last_admin_cannot_be_removed(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.delete(
        f"/api/v1/workspaces/1/members/{ids.admin.user_id}", headers=ids.admin.headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "last_workspace_admin"


async def test_remove_member(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    response = await client.delete(
        f"/api/v1/workspaces/1/members/{ids.member.user_id}", headers=ids.admin.headers
    )
    assert response.status_code == 204
    gone = await client.get("/api/v1/workspaces/1/members", headers=ids.member.headers)
    assert gone.status_code == 404
    assert await session.get(Membership, (1, ids.member.user_id)) is None
    event = (
        await session.scalars(select(AuditEvent).where(AuditEvent.action == "member.delete"))
    ).one()
    assert event.diff == {"user_id": ids.member.user_id, "previous_role": "member"}


async def test_removing_a_user_who_is_not_a_member_is_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.delete(
        f"/api/v1/workspaces/1/members/{ids.outsider.user_id}", headers=ids.admin.headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "member_not_found"


async def test_a_workspace_that_does_not_exist_is_404_even_for_an_instance_admin(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get("/api/v1/workspaces/9999/members", headers=ids.admin.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"


async def test_a_non_member_sees_the_same_404_as_for_a_missing_workspace(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    existing = await client.get(
        f"/api/v1/workspaces/{ids.other_workspace_id}/members", headers=ids.member.headers
    )
    missing = await client.get("/api/v1/workspaces/9999/members", headers=ids.member.headers)
    assert existing.status_code == missing.status_code == 404
    assert existing.json()["code"] == missing.json()["code"]


async def test_instance_admin_manages_members_of_a_workspace_it_is_not_in(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.put(
        f"/api/v1/workspaces/{ids.other_workspace_id}/members/{ids.member.user_id}",
        json={"role": "admin"},
        headers=ids.admin.headers,
    )
    assert response.status_code == 200
    # Managing it does not make the instance admin a member.
    workspaces = await client.get("/api/v1/workspaces", headers=ids.admin.headers)
    assert ids.other_workspace_id not in [w["id"] for w in workspaces.json()]
