"""Model discovery for the registration form: `providers/{provider}/models`, `providers/fetch`
and `xinference/tts-models`."""

from __future__ import annotations

import httpx

from tests.factories import Identities, register_model
from tests.fakes.fixtures import StartFake
from tests.fakes.openai import FakeOpenAI
from tests.fakes.stall import write_during_stall
from tests.surfaces.xagent.support import BASE


async def test_a_typed_key_lists_the_providers_models(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    response = await client.post(
        f"{BASE}/providers/openai/models",
        json={"api_key": fake.good_plaintext, "base_url": fake.target.base_url},
        headers=ids.member.headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["provider"], body["count"]) == ("openai", len(fake.model_ids))
    assert [m["id"] for m in body["models"]] == fake.model_ids


async def test_an_unsupported_provider_is_400(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/providers/acme/models", json={"api_key": "k"}, headers=ids.member.headers
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Unsupported provider: acme"},
    )


async def test_a_refused_key_is_a_502_without_the_key(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    response = await client.post(
        f"{BASE}/providers/openai/models",
        json={"api_key": fake.bad_plaintext, "base_url": fake.target.base_url},
        headers=ids.member.headers,
    )
    assert response.status_code == 502
    assert response.json()["detail"].startswith("Failed to fetch models from openai: ")
    assert fake.bad_plaintext not in response.text


async def test_fetch_uses_the_callers_stored_keys(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    await register_model(
        client, ids.member.headers, api_key=fake.good_plaintext, base_url=fake.target.base_url
    )
    response = await client.post(
        f"{BASE}/providers/fetch", json=["openai", "zhipu"], headers=ids.member.headers
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results["openai"]["count"] == len(fake.model_ids)
    assert results["zhipu"] == {"error": "No stored API key for zhipu", "models": []}
    assert fake.good_plaintext not in response.text


async def test_fetch_does_not_use_another_users_shared_key(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    await register_model(
        client,
        ids.admin.headers,
        share_with_users=True,
        api_key=fake.good_plaintext,
        base_url=fake.target.base_url,
    )
    response = await client.post(
        f"{BASE}/providers/fetch", json=["openai"], headers=ids.member.headers
    )
    assert response.json()["results"]["openai"]["models"] == []


async def test_xinference_speech_models_get_suggested_abilities(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    models = [
        {"id": "whisper-large-v3", "object": "model", "owned_by": "xinference"},
        {"id": "CosyVoice2-0.5B", "object": "model", "owned_by": "xinference"},
        {"id": "qwen2.5-instruct", "object": "model", "owned_by": "xinference"},
    ]
    async with FakeOpenAI(keys=None, models=models) as xinference:
        response = await client.get(
            f"{BASE}/xinference/tts-models",
            params={"base_url": xinference.url},
            headers=ids.member.headers,
        )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "models": [
            {"id": "whisper-large-v3", "abilities": ["asr"]},
            {"id": "CosyVoice2-0.5B", "abilities": ["tts"]},
        ],
        "count": 2,
    }


async def test_xinference_discovery_needs_a_caller(client: httpx.AsyncClient) -> None:
    response = await client.get(
        f"{BASE}/xinference/tts-models", params={"base_url": "http://127.0.0.1:9"}
    )
    assert response.status_code == 401


async def test_a_write_completes_while_a_fetch_with_stored_keys_waits_on_the_provider(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    await register_model(
        client, ids.member.headers, api_key=fake.good_plaintext, base_url=fake.target.base_url
    )
    fetched = client.post(f"{BASE}/providers/fetch", json=["openai"], headers=ids.member.headers)
    result = await write_during_stall(fake.server, fetched, client, ids.admin, delay=3.0)
    assert result.write.status_code == 201
    assert result.write_seconds < 1.0
    assert result.stalled.json()["results"]["openai"]["count"] == len(fake.model_ids)
