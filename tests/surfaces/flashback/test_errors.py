"""Every error is `{success: false, message}` (checklist item 22); hostile input is a 4xx."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.factories import Identities
from tests.surfaces.flashback.support import API, assert_error, create_llm, list_llms, llm_body


async def test_unknown_routes_and_methods_answer_in_flashbacks_shape(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    assert_error(await client.get(f"{API}/x/y", headers=ids.admin.headers), 404, "Route not found")
    # There is no "get one" endpoint in Flashback's API.
    assert_error(
        await client.get(f"{API}/{llm_id}", headers=ids.admin.headers), 405, "Method not allowed"
    )
    assert_error(
        await client.patch(f"{API}/{llm_id}", headers=ids.admin.headers, json={}),
        405,
        "Method not allowed",
    )


async def test_a_body_over_the_limit_is_413(client: httpx.AsyncClient, ids: Identities) -> None:
    huge = llm_body("x" * 2_000_000)
    assert_error(await client.post(API, headers=ids.admin.headers, json=huge), 413)
    assert await list_llms(client, ids.admin) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "a\x00b"},
        {"endpoint": "https://api.openai.com/\x00v1"},
        {"secret": "sk-\x00-nul-in-the-key-0000"},
        {"secret": "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
        {"workspaceId": 1.5},
        {"workspaceId": True},
        {"workspaceId": None},
        {"workspaceId": {"id": 1}},
        {"secret": ["sk-a", "sk-b"]},
        {"name": {"first": "x"}},
        {"aiType": None},
    ],
)
async def test_hostile_create_bodies_are_refused_with_a_4xx(
    client: httpx.AsyncClient, ids: Identities, overrides: dict[str, object]
) -> None:
    response = await client.post(API, headers=ids.admin.headers, json=llm_body() | overrides)
    assert 400 <= response.status_code < 500, response.text
    assert_error(response, response.status_code)
    assert await list_llms(client, ids.admin) == []


async def test_a_lone_surrogate_in_the_name_is_400(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    body = b'{"name": "\\ud800", "aiType": "OPENAI", "endpoint": "https://a.test/v1", '
    body += b'"secret": "sk-x", "workspaceId": "1"}'
    headers = ids.admin.headers | {"content-type": "application/json"}
    response = await client.post(API, headers=headers, content=body)
    assert_error(response, 400, "Name must be valid Unicode text")


@pytest.mark.parametrize(
    "name", ["ünicode Config", "名前", "emoji 🙂", "ｆｕｌｌ", "rtl \u202egnp", "İ", "tab\tname"]
)
async def test_any_printable_name_is_accepted_and_shown_back(
    client: httpx.AsyncClient, ids: Identities, name: str
) -> None:
    llm_id = await create_llm(client, ids.admin, name=name)
    (listed,) = await list_llms(client, ids.admin)
    assert (listed["id"], listed["name"]) == (llm_id, name)


@pytest.mark.parametrize("path_id", ["%00", "a" * 5000, str(uuid.uuid4()).upper(), "1"])
async def test_odd_ids_in_the_path_are_404(
    client: httpx.AsyncClient, ids: Identities, path_id: str
) -> None:
    response = await client.delete(f"{API}/{path_id}", headers=ids.admin.headers)
    assert_error(response, 404, "AI LLM configuration not found")
