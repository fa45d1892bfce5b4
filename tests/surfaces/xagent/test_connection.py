"""`POST /api/models/test-connection` (spec checklist 20): an unsaved configuration tried
against fake upstreams that are real HTTP servers on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from aiport.config import Settings
from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.fakes.openai import FakeOpenAI
from tests.fakes.stall import write_during_stall
from tests.surfaces.xagent.support import BASE, xagent_client


def _body(**fields: Any) -> dict[str, Any]:
    return {"model_provider": "openai", "model_name": "gpt-4o", **fields}


async def test_a_working_configuration_passes(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(api_key=fake.good_plaintext, base_url=fake.target.base_url, temperature=0.2),
        headers=ids.member.headers,
    )
    assert response.status_code == 200
    result = response.json()
    assert result["response_time"] >= 0
    assert {k: v for k, v in result.items() if k != "response_time"} == {
        "model_id": "gpt-4o",
        "status": "passed",
        "message": "Connection successful",
        "error": None,
    }
    call = fake.server.requests_to("/chat/completions")[-1]
    assert call.headers["authorization"] == f"Bearer {fake.good_plaintext}"
    assert call.json()["messages"] == [{"role": "user", "content": "Hello"}]
    assert (call.json()["max_tokens"], call.json()["temperature"]) == (16, 0.2)


async def test_a_refused_key_is_a_200_failure_without_the_key(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")  # its 401 echoes the key it was given
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(api_key=fake.bad_plaintext, base_url=fake.target.base_url),
        headers=ids.member.headers,
    )
    assert response.status_code == 200
    result = response.json()
    assert (result["status"], result["message"]) == ("failed", "Connection failed")
    assert "401" in result["error"]
    assert fake.bad_plaintext not in response.text


async def test_a_slow_provider_times_out(
    settings: Settings, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    fake.server.answer_delay = 2.0
    async with xagent_client(settings.model_copy(update={"check_timeout": 0.3})) as client:
        response = await client.post(
            f"{BASE}/test-connection",
            json=_body(api_key=fake.good_plaintext, base_url=fake.target.base_url),
            headers=ids.member.headers,
        )
    result = response.json()
    assert (result["status"], result["message"]) == ("failed", "Connection timed out")
    assert "0.3 seconds" in result["error"]


async def test_the_check_timeout_is_xagents_ten_seconds(settings: Settings) -> None:
    assert Settings(_env_file=None).check_timeout == 10.0
    assert settings.check_timeout == 10.0


async def test_nothing_listening_is_a_failure(
    client: httpx.AsyncClient, ids: Identities, closed_port: int
) -> None:
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(api_key="sk-x", base_url=f"http://127.0.0.1:{closed_port}/v1"),
        headers=ids.member.headers,
    )
    result = response.json()
    assert (response.status_code, result["status"], result["message"]) == (
        200,
        "failed",
        "Connection failed",
    )
    assert "127.0.0.1" in result["error"]


@pytest.mark.parametrize(
    "base_url", ["http://169.254.169.254/latest", "http://metadata.google.internal/v1", "ftp://x"]
)
async def test_metadata_and_odd_urls_are_refused(
    client: httpx.AsyncClient, ids: Identities, base_url: str
) -> None:
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(api_key="sk-x", base_url=base_url),
        headers=ids.member.headers,
    )
    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "failed"
    assert "never connects" in result["error"] or "http:// or https://" in result["error"]


async def test_claude_is_called_with_the_anthropic_protocol(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("anthropic")
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(
            model_provider="claude",
            model_name=fake.model_ids[0],
            api_key=fake.good_plaintext,
            base_url=fake.target.base_url,
        ),
        headers=ids.member.headers,
    )
    assert response.json()["status"] == "passed", response.text
    call = fake.server.requests_to("/v1/messages")[-1]
    assert call.headers["x-api-key"] == fake.good_plaintext
    assert call.json()["max_tokens"] == 16


async def test_gemini_is_called_with_the_google_protocol(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("google")
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(
            model_provider="gemini",
            model_name=fake.model_ids[0],
            api_key=fake.good_plaintext,
            base_url=fake.target.base_url,
        ),
        headers=ids.member.headers,
    )
    assert response.json()["status"] == "passed", response.text
    assert fake.server.requests_to(":generateContent")


async def test_an_embedding_model_is_tried_with_one_embedding(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(
            category="embedding",
            model_name="text-embedding-3-small",
            api_key=fake.good_plaintext,
            base_url=fake.target.base_url,
        ),
        headers=ids.member.headers,
    )
    assert response.json()["status"] == "passed"
    assert fake.server.requests_to("/embeddings")[-1].json()["input"] == "hello"


@pytest.mark.parametrize(("model_name", "status"), [("gpt-4o", "passed"), ("dall-e-9", "failed")])
async def test_an_image_model_must_be_listed_by_the_provider(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    model_name: str,
    status: str,
) -> None:
    fake = await fake_provider("openai")
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(
            category="image",
            model_name=model_name,
            api_key=fake.good_plaintext,
            base_url=fake.target.base_url,
        ),
        headers=ids.member.headers,
    )
    assert response.json()["status"] == status


async def test_speech_is_tested_only_for_xinference(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        f"{BASE}/test-connection",
        json=_body(category="speech", model_name="whisper-1", api_key="sk-x"),
        headers=ids.member.headers,
    )
    result = response.json()
    assert result["status"] == "failed"
    assert "xinference" in result["error"]


async def test_xinference_is_reached_under_v1_without_a_key(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    async with FakeOpenAI(keys=None) as xinference:
        response = await client.post(
            f"{BASE}/test-connection",
            json=_body(model_provider="xinference", model_name="qwen", base_url=xinference.url),
            headers=ids.member.headers,
        )
    assert response.json()["status"] == "passed", response.text
    assert xinference.requests_to("/v1/chat/completions")


async def test_a_signed_in_caller_is_needed(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{BASE}/test-connection", json=_body())
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


async def test_a_body_without_a_model_name_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        f"{BASE}/test-connection",
        json={"model_provider": "openai", "api_key": "sk-hidden-0123456789"},
        headers=ids.member.headers,
    )
    assert response.status_code == 422
    assert "sk-hidden-0123456789" not in response.text


async def test_a_write_completes_while_a_connection_test_waits_on_the_provider(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    tested = client.post(
        f"{BASE}/test-connection",
        json=_body(api_key=fake.good_plaintext, base_url=fake.target.base_url),
        headers=ids.member.headers,
    )
    result = await write_during_stall(fake.server, tested, client, ids.admin, delay=3.0)
    assert result.write.status_code == 201
    assert result.write_seconds < 1.0
    assert result.stalled.json()["status"] == "passed"
