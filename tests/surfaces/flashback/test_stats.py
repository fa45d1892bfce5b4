"""`GET /ai/llm/stats`: checklist item 21, fed by validations and by the gateway's usage."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from aiport.gateway.service import Gateway
from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.surfaces.flashback.support import API, assert_error, create_llm, stored_provider

COUNTERS = (
    "totalApiCalls",
    "totalTokensIn",
    "totalTokensOut",
    "totalLlmTokensIn",
    "totalLlmTokensOut",
    "totalPolicyViolations",
    "totalAlerts",
    "totalBlocks",
)


async def _stats(client: httpx.AsyncClient, ids: Identities, **params: str) -> list[dict[str, str]]:
    response = await client.get(f"{API}/stats", headers=ids.admin.headers, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "stats"}
    assert body["success"] is True
    rows: list[dict[str, str]] = body["stats"]
    return rows


async def test_a_configuration_never_used_has_every_counter_at_zero(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    assert await _stats(client, ids) == []
    first = await create_llm(client, ids.admin, name="First")
    second = await create_llm(client, ids.admin, name="Second")
    await create_llm(client, ids.outsider, workspace_id=str(ids.other_workspace_id))
    rows = await _stats(client, ids)
    assert rows == [
        {"aiLlmId": llm_id} | dict.fromkeys(COUNTERS, "0") for llm_id in (second, first)
    ]
    assert await _stats(client, ids, aiLlmId=first) == [rows[1]]


async def test_members_see_the_stats_of_their_workspace(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    response = await client.get(f"{API}/stats", headers=ids.member.headers)
    assert [row["aiLlmId"] for row in response.json()["stats"]] == [llm_id]


async def test_gateway_calls_and_validations_are_counted_as_decimal_strings(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, app: FastAPI
) -> None:
    fake = await fake_provider("openai")
    llm_id = await create_llm(
        client, ids.admin, endpoint=fake.target.base_url, secret=fake.good_plaintext
    )
    name = (await stored_provider(app, llm_id)).name
    await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    chats = [
        await client.post(
            "/v1/chat/completions",
            headers=ids.member.headers,
            json={"model": f"{name}/gpt-4o", "messages": [{"role": "user", "content": text}]},
        )
        for text in ("one two three", "four five")
    ]
    embedding = await client.post(
        "/v1/embeddings",
        headers=ids.member.headers,
        json={"model": f"{name}/text-embedding-3-small", "input": "six seven eight nine"},
    )
    assert [r.status_code for r in (*chats, embedding)] == [200, 200, 200]
    gateway: Gateway = app.state.gateway
    await gateway.usage.flush()

    chat_in = sum(r.json()["usage"]["prompt_tokens"] for r in chats)
    chat_out = sum(r.json()["usage"]["completion_tokens"] for r in chats)
    embedded = embedding.json()["usage"]["prompt_tokens"]
    assert min(chat_in, chat_out, embedded) > 0
    (row,) = await _stats(client, ids, aiLlmId=llm_id)
    assert row == {
        "aiLlmId": llm_id,
        "totalApiCalls": "4",
        "totalTokensIn": str(chat_in + embedded),
        "totalTokensOut": str(chat_out),
        "totalLlmTokensIn": str(chat_in),
        "totalLlmTokensOut": str(chat_out),
        "totalPolicyViolations": "0",
        "totalAlerts": "0",
        "totalBlocks": "0",
    }


@pytest.mark.parametrize("llm_id", [str(uuid.uuid4()), "bogus"])
async def test_stats_of_an_unknown_configuration_are_404(
    client: httpx.AsyncClient, ids: Identities, llm_id: str
) -> None:
    response = await client.get(
        f"{API}/stats", headers=ids.admin.headers, params={"aiLlmId": llm_id}
    )
    assert_error(response, 404, "AI LLM configuration not found")


async def test_stats_of_a_configuration_in_an_inaccessible_workspace_are_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    theirs = await create_llm(client, ids.outsider, workspace_id=str(ids.other_workspace_id))
    response = await client.get(
        f"{API}/stats", headers=ids.admin.headers, params={"aiLlmId": theirs}
    )
    assert_error(response, 404, "AI LLM configuration not found")
