"""Who may do what with a model (DESIGN §3, spec §8): owner / other member / workspace admin /
non-member, on a member's private model and on an admin's shared one. No admin override."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Caller, Identities, make_user, register_model
from tests.surfaces.xagent.support import BASE

NOT_VISIBLE = {"detail": "Model not found or access denied"}
NOT_FOUND = {"detail": "Model not found"}


async def _attempt(
    client: httpx.AsyncClient, caller: Caller, model_id: str, action: str
) -> tuple[int, Any]:
    path = f"{BASE}/{model_id}"
    if action == "get":
        response = await client.get(path, headers=caller.headers)
    elif action == "update":
        response = await client.put(path, json={"description": "changed"}, headers=caller.headers)
    elif action == "delete":
        response = await client.delete(path, headers=caller.headers)
    else:
        listed = (await client.get(f"{BASE}/", headers=caller.headers)).json()
        return 200, any(m["model_id"] == model_id for m in listed)
    return response.status_code, response.json()


@pytest.fixture
async def other_member(app: FastAPI) -> Caller:
    return await make_user(app, role="member")


def _caller(ids: Identities, other_member: Caller, who: str) -> Caller:
    return {
        "owner": ids.member,
        "member": ids.member,
        "other member": other_member,
        "workspace admin": ids.admin,
        "non-member": ids.outsider,
    }[who]


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        ("owner", "list", (200, True)),
        ("owner", "get", 200),
        ("owner", "update", 200),
        ("owner", "delete", 200),
        ("other member", "list", (200, False)),
        ("other member", "get", (404, NOT_VISIBLE)),
        ("other member", "update", (404, NOT_VISIBLE)),
        ("other member", "delete", (404, NOT_VISIBLE)),
        ("workspace admin", "list", (200, False)),
        ("workspace admin", "get", (404, NOT_VISIBLE)),
        ("workspace admin", "update", (404, NOT_VISIBLE)),
        ("workspace admin", "delete", (404, NOT_VISIBLE)),
        ("non-member", "list", (200, False)),
        ("non-member", "get", (404, NOT_FOUND)),
        ("non-member", "update", (404, NOT_FOUND)),
        ("non-member", "delete", (404, NOT_FOUND)),
    ],
)
async def test_a_members_private_model(
    client: httpx.AsyncClient,
    ids: Identities,
    other_member: Caller,
    who: str,
    action: str,
    expected: int | tuple[int, Any],
) -> None:
    private = await register_model(client, ids.member.headers)
    status, body = await _attempt(
        client, _caller(ids, other_member, who), private["model_id"], action
    )
    if isinstance(expected, int):
        assert status == expected
    else:
        assert (status, body) == expected


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    [
        # The admin owns this one.
        ("workspace admin", "list", (200, True)),
        ("workspace admin", "update", 200),
        ("workspace admin", "delete", 200),
        ("member", "list", (200, True)),
        ("member", "get", 200),
        ("member", "update", (403, {"detail": "No permission to edit this model"})),
        ("member", "delete", (403, {"detail": "No permission to delete this model"})),
        ("other member", "get", 200),
        ("other member", "update", (403, {"detail": "No permission to edit this model"})),
        ("non-member", "list", (200, False)),
        ("non-member", "get", (404, NOT_FOUND)),
        ("non-member", "delete", (404, NOT_FOUND)),
    ],
)
async def test_an_admins_shared_model(
    client: httpx.AsyncClient,
    ids: Identities,
    other_member: Caller,
    who: str,
    action: str,
    expected: int | tuple[int, Any],
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    status, body = await _attempt(
        client, _caller(ids, other_member, who), shared["model_id"], action
    )
    if isinstance(expected, int):
        assert status == expected
        if action == "get":
            assert (body["is_owner"], body["can_edit"], body["is_shared"]) == (False, False, True)
    else:
        assert (status, body) == expected


async def test_a_non_member_naming_the_workspace_gets_workspace_not_found(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    private = await register_model(client, ids.member.headers)
    headers = {**ids.outsider.headers, "AIPort-Workspace": str(ids.workspace_id)}
    for response in (
        await client.get(f"{BASE}/", headers=headers),
        await client.get(f"{BASE}/{private['model_id']}", headers=headers),
        await client.post(f"{BASE}/register", json={"model_id": "x"}, headers=headers),
    ):
        assert response.status_code in (404, 422)
        if response.status_code == 404:
            assert response.json() == {"detail": "Workspace not found"}


async def test_a_workspace_admin_who_is_not_instance_admin_may_share(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    workspace_admin = await make_user(app, role="admin")
    shared = await register_model(client, workspace_admin.headers, share_with_users=True)
    seen = await client.get(f"{BASE}/{shared['model_id']}", headers=ids.member.headers)
    assert seen.json()["is_shared"] is True


async def test_models_of_another_workspace_stay_there(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """The outsider's shared model (their own workspace) is invisible in workspace 1."""
    theirs = await register_model(client, ids.outsider.headers, share_with_users=True)
    for caller in (ids.admin, ids.member):
        response = await client.get(f"{BASE}/{theirs['model_id']}", headers=caller.headers)
        assert response.json() == NOT_FOUND
        assert (await client.get(f"{BASE}/", headers=caller.headers)).json() == []


async def test_a_member_sees_a_model_in_the_workspace_named_by_the_header(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    # The outsider admins their own workspace; add the member there and share a model.
    response = await client.put(
        f"/api/v1/workspaces/{ids.other_workspace_id}/members/{ids.member.user_id}",
        json={"role": "member"},
        headers=ids.outsider.headers,
    )
    assert response.status_code == 200, response.text
    theirs = await register_model(client, ids.outsider.headers, share_with_users=True)
    headers = {**ids.member.headers, "AIPort-Workspace": str(ids.other_workspace_id)}
    seen = await client.get(f"{BASE}/{theirs['model_id']}", headers=headers)
    assert seen.status_code == 200
