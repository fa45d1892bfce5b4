"""`GET /api/v1/workspaces/{id}/providers/{name}/models`: discovered, cached, never hanging."""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from aiport.adapters import PROVIDER_TYPES
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Provider
from tests.checks.arrange import StoreProvider, store_fake
from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.fakes.server import Scenario


def _models_url(name: str, workspace_id: int = 1) -> str:
    return f"/api/v1/workspaces/{workspace_id}/providers/{name}/models"


async def _move(app: FastAPI, name: str, base_url: str) -> None:
    """Point a stored provider somewhere else (an upstream that went away)."""
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await session.execute(
            update(Provider).where(Provider.name == name).values(base_url=base_url)
        )


@pytest.mark.parametrize("provider_type", PROVIDER_TYPES)
async def test_a_member_lists_the_discovered_models(
    provider_type: str,
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider(provider_type)
    await store_fake(store_provider, fake, "main")
    response = await client.get(_models_url("main"), headers=ids.member.headers)
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()] == fake.model_ids
    assert response.headers["age"] == "0"
    assert "x-aiport-models-stale" not in response.headers


async def test_model_fields_are_returned(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("google")
    await store_fake(store_provider, fake, "gemini")
    response = await client.get(_models_url("gemini"), headers=ids.member.headers)
    assert response.json()[0] == {
        "id": "gemini-2.0-flash",
        "display_name": "Gemini 2.0 Flash",
        "context_window": 1048576,
        "owned_by": "google",
    }


async def test_the_listing_is_served_from_the_cache_within_its_ttl(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    first = await client.get(_models_url("openai"), headers=ids.member.headers)
    second = await client.get(_models_url("openai"), headers=ids.member.headers)
    assert first.json() == second.json()
    assert len(fake.server.requests) == 1
    assert (
        second.headers["x-aiport-models-fetched-at"] == first.headers["x-aiport-models-fetched-at"]
    )


async def test_refresh_asks_the_provider_again(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    await client.get(_models_url("openai"), headers=ids.member.headers)
    response = await client.get(
        _models_url("openai"), params={"refresh": "true"}, headers=ids.member.headers
    )
    assert response.status_code == 200
    assert len(fake.server.requests) == 2


async def test_an_expired_cache_is_refreshed(
    app: FastAPI,
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    runtime = app.state.runtime
    runtime.settings = runtime.settings.model_copy(update={"models_cache_ttl": 0.0})
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    await client.get(_models_url("openai"), headers=ids.member.headers)
    await client.get(_models_url("openai"), headers=ids.member.headers)
    assert len(fake.server.requests) == 2


async def test_a_check_fills_the_cache(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("anthropic")
    await store_fake(store_provider, fake, "claude")
    await client.post("/api/v1/workspaces/1/providers/claude/check", headers=ids.admin.headers)
    calls = len(fake.server.requests)
    response = await client.get(_models_url("claude"), headers=ids.member.headers)
    assert len(response.json()) == 3
    assert len(fake.server.requests) == calls


async def test_an_unreachable_provider_serves_the_cached_list_with_its_age(
    app: FastAPI,
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
    closed_port: int,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    fresh = await client.get(_models_url("openai"), headers=ids.member.headers)
    await _move(app, "openai", f"http://127.0.0.1:{closed_port}/v1")
    response = await client.get(
        _models_url("openai"), params={"refresh": "true"}, headers=ids.member.headers
    )
    assert response.status_code == 200
    assert response.json() == fresh.json()
    assert response.headers["x-aiport-models-stale"] == "true"
    assert response.headers["x-aiport-models-error"] == (
        f"cannot reach 127.0.0.1:{closed_port}: connection refused"
    )
    assert int(response.headers["age"]) >= 0


async def test_an_unreachable_provider_with_nothing_cached_is_a_502(
    client: httpx.AsyncClient, ids: Identities, store_provider: StoreProvider, closed_port: int
) -> None:
    await store_provider(
        "down",
        "openai",
        f"http://127.0.0.1:{closed_port}/v1",
        secrets=[("api_key", "sk-down-0000000")],
    )
    response = await client.get(_models_url("down"), headers=ids.member.headers)
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "models_unavailable"
    assert response.json()["title"] == (
        f"the models of provider 'down' could not be listed: cannot reach 127.0.0.1:{closed_port}: connection refused"
    )


async def test_a_stalled_provider_is_answered_within_the_timeout(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    fake.server.answer_delay = 30.0
    started = time.monotonic()
    response = await client.get(_models_url("openai"), headers=ids.member.headers)
    assert time.monotonic() - started < 5
    assert response.status_code == 502
    assert response.json()["title"].endswith(
        f"127.0.0.1:{fake.server.port} did not answer within 2 s"
    )


async def test_a_refused_key_falls_back_to_the_next_one(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai", bad=True)
    response = await client.get(_models_url("openai"), headers=ids.member.headers)
    assert response.status_code == 200
    assert len(response.json()) == 3


async def test_a_rate_limited_provider_without_cache_names_the_wait(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    fake.server.scenario = Scenario.RATE_LIMITED
    response = await client.get(_models_url("openai"), headers=ids.member.headers)
    assert response.status_code == 502
    assert response.json()["title"].endswith("retry after 7 s")
    assert fake.good_plaintext not in response.text


async def test_a_provider_without_credentials_cannot_list(
    client: httpx.AsyncClient, ids: Identities, store_provider: StoreProvider
) -> None:
    await store_provider("bare", "anthropic", "https://api.anthropic.com")
    response = await client.get(_models_url("bare"), headers=ids.member.headers)
    assert response.status_code == 409
    assert response.json()["title"] == (
        "provider 'bare' has no credentials; add or replace a credential first"
    )


async def test_an_outsider_cannot_list(
    client: httpx.AsyncClient, ids: Identities, store_provider: StoreProvider
) -> None:
    await store_provider("bare", "anthropic", "https://api.anthropic.com")
    response = await client.get(_models_url("bare"), headers=ids.outsider.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"


@pytest.mark.parametrize("workspace", ["0", "abc", "99999999999"])
async def test_a_bad_workspace_id_is_a_clear_4xx(
    client: httpx.AsyncClient, ids: Identities, workspace: str
) -> None:
    response = await client.get(
        f"/api/v1/workspaces/{workspace}/providers/x/models", headers=ids.member.headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
