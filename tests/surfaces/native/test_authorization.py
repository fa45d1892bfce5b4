"""Who may call each native endpoint: one test per (endpoint, caller), from one table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from aiport.users.service import UserService
from tests.factories import add_membership, add_user
from tests.surfaces.native.support import CALLERS, Roles

Call = Callable[[httpx.AsyncClient, FastAPI, Roles, str], Awaitable[httpx.Response]]


async def _fresh_user(app: FastAPI, *, workspace_id: int | None = None) -> int:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        user = await add_user(session)
        if workspace_id is not None:
            await add_membership(session, workspace_id, user.id, "member")
        return user.id


async def users_me(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.get("/api/v1/users/me", headers=roles.headers[who])


async def users_create(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    body = {"email": f"new-{who}@example.com", "name": "New"}
    return await client.post("/api/v1/users", json=body, headers=roles.headers[who])


async def users_list(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.get("/api/v1/users", headers=roles.headers[who])


async def tokens_create(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.post("/api/v1/tokens", json={"name": "ci"}, headers=roles.headers[who])


async def tokens_list(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.get("/api/v1/tokens", headers=roles.headers[who])


async def tokens_delete(
    client: httpx.AsyncClient, app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    # A token of the caller's own (the member's when the caller has no user).
    owner_id = roles.user_ids.get(who, roles.user_ids["member"])
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        token_id = (await UserService(session).create_token("doomed", user_id=owner_id)).id
    return await client.delete(f"/api/v1/tokens/{token_id}", headers=roles.headers[who])


async def workspaces_create(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.post("/api/v1/workspaces", json={"name": "W"}, headers=roles.headers[who])


async def workspaces_list(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    return await client.get("/api/v1/workspaces", headers=roles.headers[who])


async def members_list(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    url = f"/api/v1/workspaces/{roles.workspace_id}/members"
    return await client.get(url, headers=roles.headers[who])


async def members_put(
    client: httpx.AsyncClient, app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    user_id = await _fresh_user(app)
    url = f"/api/v1/workspaces/{roles.workspace_id}/members/{user_id}"
    return await client.put(url, json={"role": "member"}, headers=roles.headers[who])


async def members_delete(
    client: httpx.AsyncClient, app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    user_id = await _fresh_user(app, workspace_id=roles.workspace_id)
    url = f"/api/v1/workspaces/{roles.workspace_id}/members/{user_id}"
    return await client.delete(url, headers=roles.headers[who])


async def audit_list(
    client: httpx.AsyncClient, _app: FastAPI, roles: Roles, who: str
) -> httpx.Response:
    url = f"/api/v1/workspaces/{roles.workspace_id}/audit"
    return await client.get(url, headers=roles.headers[who])


UNAUTHENTICATED = {"no_token": 401, "bad_token": 401, "expired_token": 401}


def everyone(status: int, **exceptions: int) -> dict[str, int]:
    table = dict.fromkeys(CALLERS, status) | UNAUTHENTICATED
    return table | exceptions


INSTANCE_ADMIN_ONLY = {"workspace_admin": 403, "member": 403, "non_member": 403}
WORKSPACE_READ = {"non_member": 404, "bound_elsewhere": 404}
WORKSPACE_ADMIN_ONLY = {"member": 403, "non_member": 404, "bound_elsewhere": 404}

MATRIX: dict[str, tuple[Call, dict[str, int]]] = {
    "users_me": (users_me, everyone(200)),
    "users_create": (
        users_create,
        everyone(201, **INSTANCE_ADMIN_ONLY, bound_elsewhere=403, bound_here=403),
    ),
    "users_list": (
        users_list,
        everyone(200, **INSTANCE_ADMIN_ONLY, bound_elsewhere=403, bound_here=403),
    ),
    "tokens_create": (tokens_create, everyone(201)),
    "tokens_list": (tokens_list, everyone(200)),
    "tokens_delete": (tokens_delete, everyone(204)),
    "workspaces_create": (
        workspaces_create,
        everyone(201, bound_elsewhere=403, bound_here=403),
    ),
    "workspaces_list": (workspaces_list, everyone(200)),
    "members_list": (members_list, everyone(200, **WORKSPACE_READ)),
    "members_put": (members_put, everyone(200, **WORKSPACE_ADMIN_ONLY)),
    "members_delete": (members_delete, everyone(204, **WORKSPACE_ADMIN_ONLY)),
    "audit_list": (audit_list, everyone(200, **WORKSPACE_ADMIN_ONLY)),
}

CASES = [
    pytest.param(endpoint, who, expected[who], id=f"{endpoint}-{who}")
    for endpoint, (_call, expected) in MATRIX.items()
    for who in CALLERS
]


@pytest.mark.parametrize(("endpoint", "who", "status"), CASES)
async def test_authorization_matrix(
    client: httpx.AsyncClient, app: FastAPI, roles: Roles, endpoint: str, who: str, status: int
) -> None:
    call, _expected = MATRIX[endpoint]
    response = await call(client, app, roles, who)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
