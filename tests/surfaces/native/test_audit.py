"""`/api/v1/workspaces/{id}/audit`: newest first, paged with `limit` and `before`."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import Identities


async def _make_events(client: httpx.AsyncClient, ids: Identities, count: int) -> None:
    for n in range(count):
        await client.post(
            "/api/v1/tokens", json={"name": f"t{n}", "workspace_id": 1}, headers=ids.admin.headers
        )


async def test_audit_lists_events_newest_first(client: httpx.AsyncClient, ids: Identities) -> None:
    await _make_events(client, ids, 3)
    response = await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)
    assert response.status_code == 200
    events = response.json()
    assert [e["diff"]["name"] for e in events[:3]] == ["t2", "t1", "t0"]
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert set(events[0]) == {
        "id",
        "workspace_id",
        "actor_user_id",
        "action",
        "target_type",
        "target_id",
        "diff",
        "client_address",
        "created_at",
    }
    assert events[0]["action"] == "token.create"
    assert events[0]["actor_user_id"] == ids.admin.user_id
    assert events[0]["client_address"] == "203.0.113.7"


async def test_audit_pages_back_with_limit_and_before(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await _make_events(client, ids, 5)
    everything = (await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)).json()
    first = (
        await client.get("/api/v1/workspaces/1/audit?limit=2", headers=ids.admin.headers)
    ).json()
    second = (
        await client.get(
            f"/api/v1/workspaces/1/audit?limit=2&before={first[-1]['id']}",
            headers=ids.admin.headers,
        )
    ).json()
    assert [e["id"] for e in first + second] == [e["id"] for e in everything[:4]]


async def test_audit_defaults_to_fifty_events(client: httpx.AsyncClient, ids: Identities) -> None:
    await _make_events(client, ids, 52)
    response = await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)
    assert len(response.json()) == 50


async def test_audit_shows_only_the_workspaces_events(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await client.post(
        "/api/v1/tokens",
        json={"name": "elsewhere", "workspace_id": ids.other_workspace_id},
        headers=ids.outsider.headers,
    )
    response = await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)
    assert all(e["workspace_id"] == 1 for e in response.json())
    assert "elsewhere" not in response.text


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=x", "before=0", "before=-5"])
async def test_audit_paging_out_of_range_is_422(
    client: httpx.AsyncClient, ids: Identities, query: str
) -> None:
    response = await client.get(f"/api/v1/workspaces/1/audit?{query}", headers=ids.admin.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
