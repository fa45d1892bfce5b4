"""`GET /ai/llm` and `GET /ai/llm/available`: checklist items 8, 9 and 12, F11 and F12."""

from __future__ import annotations

import re
import uuid

import httpx
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Provider
from tests.factories import Identities, add_membership, make_user
from tests.fakes.fixtures import StartFake
from tests.surfaces.flashback.support import API, assert_error, create_llm, list_llms

ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


async def test_a_listed_configuration_has_exactly_the_dto_fields(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    (listed,) = await list_llms(client, ids.admin)
    assert listed == {
        "id": llm_id,
        "orgId": "1",
        "workspaceId": "1",
        "userId": str(ids.admin.user_id),
        "name": "My OpenAI Config",
        "aiType": "OPENAI",
        "endpoint": "https://api.openai.com/v1",
        "key": None,
        "createdAt": listed["createdAt"],
        "repos": [],
    }
    assert ISO_MS.fullmatch(listed["createdAt"])
    assert uuid.UUID(listed["id"])


async def test_the_list_filters_by_workspace_and_never_shows_inaccessible_ones(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    both = await make_user(app, role="member")
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await add_membership(session, ids.other_workspace_id, both.user_id, "member")
    mine = await create_llm(client, ids.admin, name="In Default")
    other = str(ids.other_workspace_id)
    theirs = await create_llm(client, ids.outsider, name="In Other", workspace_id=other)
    assert {c["id"] for c in await list_llms(client, both)} == {mine, theirs}
    assert [c["id"] for c in await list_llms(client, both, workspaceId="1")] == [mine]
    assert [c["id"] for c in await list_llms(client, both, workspaceId=other)] == [theirs]
    assert [c["id"] for c in await list_llms(client, ids.admin)] == [mine]
    assert [c["id"] for c in await list_llms(client, ids.outsider)] == [theirs]
    assert [c["workspaceId"] for c in await list_llms(client, ids.member)] == ["1"]


async def test_listing_a_workspace_the_caller_cannot_access_is_403(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await create_llm(client, ids.outsider, workspace_id=str(ids.other_workspace_id))
    for workspace_id in (str(ids.other_workspace_id), "4242", "abc"):
        response = await client.get(
            API, headers=ids.admin.headers, params={"workspaceId": workspace_id}
        )
        assert_error(response, 403, "Insufficient permissions")


async def test_the_list_is_newest_first(client: httpx.AsyncClient, ids: Identities) -> None:
    created = [await create_llm(client, ids.admin, name=f"Config {n}") for n in range(3)]
    assert [c["id"] for c in await list_llms(client, ids.admin)] == created[::-1]


async def test_available_lists_only_enabled_configurations_that_validated(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, app: FastAPI
) -> None:
    fake = await fake_provider("openai")
    endpoint = fake.target.base_url
    good = await create_llm(
        client, ids.admin, name="Good", endpoint=endpoint, secret=fake.good_plaintext
    )
    bad = await create_llm(
        client, ids.admin, name="Bad", endpoint=endpoint, secret=fake.bad_plaintext
    )
    newer = await create_llm(
        client, ids.admin, name="Newer", endpoint=endpoint, secret=fake.good_plaintext
    )
    await create_llm(client, ids.admin, name="Never validated", endpoint=endpoint)
    assert await list_llms(client, ids.member, f"{API}/available") == []
    for llm_id in (good, bad, newer):
        await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    available = await list_llms(client, ids.member, f"{API}/available")
    assert [c["id"] for c in available] == [newer, good]
    assert available[0]["key"] is None
    # A provider switched off elsewhere (Coder's `enabled`) is not ready for use.
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        provider = await session.get(Provider, uuid.UUID(newer))
        assert provider is not None
        name = provider.name
    switched = await client.patch(
        f"/api/v2/ai/providers/{name}", headers=ids.admin.headers, json={"enabled": False}
    )
    assert switched.status_code == 200
    assert [c["id"] for c in await list_llms(client, ids.member, f"{API}/available")] == [good]


async def test_available_ignores_parameters(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.get(
        f"{API}/available", headers=ids.admin.headers, params={"workspaceId": "4242"}
    )
    assert response.json() == {"success": True, "aiLlms": []}
