"""Listing and getting models (spec checklist 13, 14, 22) and Xagent's identifier lookup."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import Model
from tests.factories import Identities, register_model, unique_model_id
from tests.surfaces.xagent.support import BASE


async def test_the_list_is_a_bare_array_in_id_order(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    first = await register_model(client, ids.member.headers)
    second = await register_model(client, ids.member.headers)
    response = await client.get(f"{BASE}/", headers=ids.member.headers)
    assert response.status_code == 200
    listed = response.json()
    assert isinstance(listed, list)
    assert [m["id"] for m in listed] == [first["id"], second["id"]]


async def test_the_list_without_a_slash_redirects_to_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get(BASE, headers=ids.member.headers)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/models/")


async def test_the_list_honours_skip_and_limit(client: httpx.AsyncClient, ids: Identities) -> None:
    created = [await register_model(client, ids.member.headers) for _ in range(3)]
    response = await client.get(f"{BASE}/?skip=1&limit=1", headers=ids.member.headers)
    assert [m["id"] for m in response.json()] == [created[1]["id"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "skip=-1", "limit=many"])
async def test_out_of_range_paging_is_422(
    client: httpx.AsyncClient, ids: Identities, query: str
) -> None:
    response = await client.get(f"{BASE}/?{query}", headers=ids.member.headers)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


async def test_the_list_filters_by_category_and_provider(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    chat = await register_model(client, ids.member.headers)
    embedding = await register_model(
        client, ids.member.headers, category="embedding", abilities=["embedding"]
    )
    claude = await register_model(
        client, ids.member.headers, model_provider="claude", model_name="claude-x"
    )
    by_category = await client.get(f"{BASE}/?category=embedding", headers=ids.member.headers)
    assert [m["id"] for m in by_category.json()] == [embedding["id"]]
    by_provider = await client.get(f"{BASE}/?model_provider=Claude", headers=ids.member.headers)
    assert [m["id"] for m in by_provider.json()] == [claude["id"]]
    both = await client.get(
        f"{BASE}/?category=llm&model_provider=openai", headers=ids.member.headers
    )
    assert [m["id"] for m in both.json()] == [chat["id"]]


async def test_inactive_models_are_hidden_unless_asked_for(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    active = await register_model(client, ids.member.headers)
    inactive = await register_model(client, ids.member.headers)
    await session.execute(update(Model).where(Model.id == inactive["id"]).values(is_active=False))
    await session.commit()
    default = await client.get(f"{BASE}/", headers=ids.member.headers)
    assert [m["id"] for m in default.json()] == [active["id"]]
    hidden = await client.get(f"{BASE}/?is_active=false", headers=ids.member.headers)
    assert [(m["id"], m["is_active"]) for m in hidden.json()] == [(inactive["id"], False)]


async def test_the_list_never_shows_another_users_private_model(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await register_model(client, ids.member.headers)
    for caller in (ids.admin, ids.outsider):
        assert (await client.get(f"{BASE}/", headers=caller.headers)).json() == []


async def test_an_unknown_identifier_is_model_not_found(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get(f"{BASE}/no-such-model", headers=ids.member.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Model not found"}


async def test_another_users_private_model_is_not_found_or_access_denied(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    private = await register_model(client, ids.member.headers)
    response = await client.get(f"{BASE}/{private['model_id']}", headers=ids.admin.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Model not found or access denied"}


async def test_a_model_is_found_by_pk_by_model_id_and_by_model_name(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers, model_name=unique_model_id("name"))
    for ident in (str(created["id"]), created["model_id"], created["model_name"]):
        response = await client.get(f"{BASE}/{ident}", headers=ids.member.headers)
        assert response.status_code == 200
        assert response.json()["id"] == created["id"]


async def test_a_huge_numeric_identifier_is_simply_not_found(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.get(f"{BASE}/99999999999999999999999", headers=ids.member.headers)
    assert response.status_code == 404


async def test_identifiers_with_slashes_work_through_by_id(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    model_id = f"org/team/{unique_model_id()}"
    await register_model(client, ids.member.headers, model_id=model_id)
    path = f"{BASE}/by-id/{quote(model_id, safe='')}"
    fetched = await client.get(path, headers=ids.member.headers)
    assert fetched.status_code == 200
    assert fetched.json()["model_id"] == model_id
    assert (await client.get(f"{BASE}/by-id/{model_id}", headers=ids.member.headers)).json()[
        "model_id"
    ] == model_id
    updated = await client.put(path, json={"description": "slashy"}, headers=ids.member.headers)
    assert updated.json()["description"] == "slashy"
    deleted = await client.delete(path, headers=ids.member.headers)
    assert deleted.json() == {"message": "Model deleted successfully"}
    assert (await client.get(path, headers=ids.member.headers)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "categories",
        "providers",
        "abilities",
        "summary",
        "user-default",
        "public/list",
        "public/categories",
        "public/providers",
        "public/summary",
        "providers/supported",
        "types/available",
        "default/general",
    ],
)
async def test_fixed_routes_are_not_captured_by_model_id(
    client: httpx.AsyncClient, ids: Identities, path: str
) -> None:
    # Even a model whose model_id is the fixed path's name does not shadow it (an embedding
    # model, so `default/general` has no model to return).
    await register_model(
        client,
        ids.member.headers,
        model_id=path.split("/")[0],
        category="embedding",
        abilities=["embedding"],
    )
    response = await client.get(f"{BASE}/{path}", headers=ids.member.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not (isinstance(body, dict) and body.get("model_id") == path.split("/")[0])
