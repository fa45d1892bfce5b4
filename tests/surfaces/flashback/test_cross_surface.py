"""One store: a configuration made here is a Provider that every other surface sees at once."""

from __future__ import annotations

import httpx

from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.surfaces.flashback.support import API, OPENAI_SECRET, assert_error, create_llm, list_llms

CODER = "/api/v2/ai/providers"
NATIVE = "/api/v1/workspaces/1/providers"


async def test_a_configuration_made_here_is_in_coders_list_and_the_native_one(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    (coder,) = (await client.get(CODER, headers=ids.admin.headers)).json()
    assert {k: coder[k] for k in ("id", "type", "name", "display_name", "enabled", "base_url")} == {
        "id": llm_id,
        "type": "openai",
        "name": "my-openai-config",
        "display_name": "My OpenAI Config",
        "enabled": True,
        "base_url": "https://api.openai.com/v1",
    }
    assert [k["masked"] for k in coder["api_keys"]] == [f"sk-p...{OPENAI_SECRET[-4:]}"]
    (native,) = (await client.get(NATIVE, headers=ids.member.headers)).json()
    assert (native["id"], native["display_name"], native["check_status"]) == (
        llm_id,
        "My OpenAI Config",
        "unchecked",
    )
    assert [c["kind"] for c in native["credentials"]] == ["api_key"]


async def test_a_rename_here_shows_in_coder_and_the_slug_stays(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Team GPT"})
    coder = (await client.get(f"{CODER}/{llm_id}", headers=ids.admin.headers)).json()
    assert (coder["name"], coder["display_name"]) == ("my-openai-config", "Team GPT")


async def test_a_configuration_deleted_in_coder_is_gone_from_flashback(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    deleted = await client.delete(f"{CODER}/my-openai-config", headers=ids.admin.headers)
    assert deleted.status_code == 204
    assert await list_llms(client, ids.admin) == []
    assert await list_llms(client, ids.admin, f"{API}/available") == []
    stats = await client.get(f"{API}/stats", headers=ids.admin.headers)
    assert stats.json() == {"success": True, "stats": []}
    updated = await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "X"})
    assert_error(updated, 404, "AI LLM configuration not found")


async def test_a_provider_made_in_coder_is_listed_here(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    made = await client.post(
        CODER,
        headers=ids.admin.headers,
        json={
            "type": "anthropic",
            "name": "claude",
            "display_name": "Claude",
            "base_url": "https://api.anthropic.com/",
            "api_keys": ["sk-ant-coder-made-key-000000001"],
        },
    )
    (listed,) = await list_llms(client, ids.admin)
    assert (listed["id"], listed["name"], listed["aiType"], listed["key"]) == (
        made.json()["id"],
        "Claude",
        "ANTHROPIC",
        None,
    )
    assert listed["userId"] == str(ids.admin.user_id)


async def test_a_configuration_made_here_is_used_through_the_gateway(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("anthropic")
    await create_llm(
        client,
        ids.admin,
        name="Claude Here",
        aiType="ANTHROPIC",
        endpoint=fake.target.base_url,
        secret=fake.good_plaintext,
    )
    response = await client.post(
        "/v1/messages",
        headers={"X-Api-Key": ids.member.token, "anthropic-version": "2023-06-01"},
        json={
            "model": "claude-here/claude-sonnet-4-5",
            "max_tokens": 16,
            "messages": [{"role": "user", "content": "hi"}],
        },
    )
    assert response.status_code == 200, response.text
    (call,) = fake.server.requests_to("/messages")
    assert call.headers["x-api-key"] == fake.good_plaintext
