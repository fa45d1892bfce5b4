"""Metadata routes: distinct lists, summary, supported providers and the public listings."""

from __future__ import annotations

import httpx

from aiport.config import Settings
from tests.factories import Identities, register_model
from tests.surfaces.xagent.support import BASE, xagent_client


async def _arrange(client: httpx.AsyncClient, ids: Identities) -> None:
    await register_model(client, ids.member.headers, abilities=["chat", "vision"])
    await register_model(
        client,
        ids.member.headers,
        category="embedding",
        abilities=["embedding"],
        model_provider="zhipu",
    )
    await register_model(
        client, ids.admin.headers, share_with_users=True, abilities=["tool_calling"]
    )
    # The admin's private model is not the member's business.
    await register_model(
        client, ids.admin.headers, category="image", abilities=["generate"], model_provider="x"
    )


async def test_distinct_lists_cover_the_callers_models(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await _arrange(client, ids)
    headers = ids.member.headers
    assert (await client.get(f"{BASE}/categories", headers=headers)).json() == {
        "categories": ["embedding", "llm"]
    }
    assert (await client.get(f"{BASE}/providers", headers=headers)).json() == {
        "providers": ["openai", "zhipu"]
    }
    assert (await client.get(f"{BASE}/abilities", headers=headers)).json() == {
        "abilities": ["chat", "embedding", "tool_calling", "vision"]
    }


async def test_the_summary_counts_the_callers_models(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await _arrange(client, ids)
    summary = (await client.get(f"{BASE}/summary", headers=ids.member.headers)).json()
    assert summary == {
        "total_models": 3,
        "by_category": {"llm": 2, "embedding": 1},
        "by_provider": {"openai": 2, "zhipu": 1},
    }


async def test_supported_providers_need_no_token(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/providers/supported")
    assert response.status_code == 200
    providers = {p["id"]: p for p in response.json()["providers"]}
    assert {"openai", "claude", "gemini", "xinference", "kimi-for-coding", "deepseek"} <= set(
        providers
    )
    assert providers["xinference"]["requires_base_url"] is True
    assert providers["openai"]["default_base_url"] == "https://api.openai.com/v1"
    assert "default_base_url" not in providers["claude"]


async def test_available_types_need_no_token(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/types/available")
    entries = response.json()["model_providers"]
    assert {"type", "name", "description", "examples"} == set(entries[0])


async def test_public_listings_are_empty_unless_a_workspace_is_opened(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await _arrange(client, ids)
    assert (await client.get(f"{BASE}/public/list")).json() == {"models": [], "count": 0}
    assert (await client.get(f"{BASE}/public/summary")).json() == {
        "total_models": 0,
        "by_category": {"llm": 0, "embedding": 0, "rerank": 0, "image": 0},
        "by_provider": {},
    }


async def test_public_listings_show_only_the_opened_workspaces_shared_models(
    settings: Settings, ids: Identities
) -> None:
    async with xagent_client(settings.model_copy(update={"xagent_public_workspace": 1})) as client:
        await _arrange(client, ids)
        listed = (await client.get(f"{BASE}/public/list")).json()
        assert listed["count"] == 1
        entry = listed["models"][0]
        assert set(entry) == {
            "id",
            "model_id",
            "category",
            "model_provider",
            "model_name",
            "abilities",
            "description",
            "temperature",
            "max_tokens",
        }
        assert "sk-" not in str(listed)
        assert (await client.get(f"{BASE}/public/categories")).json() == {"categories": ["llm"]}
        assert (await client.get(f"{BASE}/public/providers")).json() == {"providers": ["openai"]}
        summary = (await client.get(f"{BASE}/public/summary")).json()
        assert summary["total_models"] == 1
        limited = await client.get(f"{BASE}/public/list?limit=101")
        assert limited.status_code == 422
