"""`POST /ai/llm/{id}/validate`: checklist items 19 and 20, for every aiType."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import AuditEvent
from tests.factories import Identities
from tests.fakes.catalog import FakeProvider
from tests.fakes.fixtures import StartFake
from tests.fakes.stall import write_during_stall
from tests.surfaces.flashback.support import (
    API,
    assert_error,
    create_llm,
    list_llms,
    stored_provider,
)

AI_TYPES = {
    "OPENAI": "openai",
    "GOOGLE": "google",
    "ANTHROPIC": "anthropic",
    "AWS": "bedrock",
    "OTHER": "openai-compat",
}


async def _create_for(
    client: httpx.AsyncClient, ids: Identities, fake: FakeProvider, ai_type: str, *, good: bool
) -> str:
    secret = fake.good if good else fake.bad
    if ai_type == "AWS":
        key, secret_text = secret.values()
        return await create_llm(
            client,
            ids.admin,
            aiType="AWS",
            endpoint=fake.target.base_url,
            key=key,
            secret=secret_text,
        )
    (secret_text,) = secret.values()
    return await create_llm(
        client, ids.admin, aiType=ai_type, endpoint=fake.target.base_url, secret=secret_text
    )


@pytest.mark.parametrize("ai_type", list(AI_TYPES))
async def test_a_working_configuration_validates_for_every_ai_type(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, ai_type: str
) -> None:
    fake = await fake_provider(AI_TYPES[ai_type])
    llm_id = await _create_for(client, ids, fake, ai_type, good=True)
    response = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "AI LLM configuration validated successfully. Connection established and "
        "credentials verified.",
    }
    assert fake.server.requests, "the provider was really called"


@pytest.mark.parametrize("ai_type", list(AI_TYPES))
async def test_a_refused_key_is_200_with_success_false_and_the_upstream_status(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, ai_type: str
) -> None:
    fake = await fake_provider(AI_TYPES[ai_type])
    llm_id = await _create_for(client, ids, fake, ai_type, good=False)
    response = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False
    assert body["message"].startswith(
        "Validation failed: Invalid API key or endpoint unreachable. Error: "
    )
    # The upstream's own status: 401 or 403, or Google's 400 API_KEY_INVALID.
    assert re.search(r": 40[013] ", body["message"]), body["message"]
    for secret in fake.bad.values():
        assert secret not in response.text


async def test_an_unreachable_endpoint_is_200_with_success_false(
    client: httpx.AsyncClient, ids: Identities, closed_port: int
) -> None:
    llm_id = await create_llm(client, ids.admin, endpoint=f"http://127.0.0.1:{closed_port}/v1")
    response = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert f"127.0.0.1:{closed_port}" in response.json()["message"]


async def test_validation_leaves_the_configuration_unchanged_and_is_recorded(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, app: FastAPI
) -> None:
    fake = await fake_provider("openai")
    llm_id = await create_llm(
        client, ids.admin, endpoint=fake.target.base_url, secret=fake.good_plaintext
    )
    before = await list_llms(client, ids.admin)
    await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert await list_llms(client, ids.admin) == before
    provider = await stored_provider(app, llm_id)
    assert provider.check_status == "ok"
    assert provider.credentials[0].status == "ok"
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        event = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "provider.check"))
        ).scalar_one()
    assert (event.target_id, event.actor_user_id) == (llm_id, ids.admin.user_id)


@pytest.mark.parametrize("llm_id", [str(uuid.uuid4()), "not-an-id"])
async def test_validating_an_unknown_id_is_404(
    client: httpx.AsyncClient, ids: Identities, llm_id: str
) -> None:
    response = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert_error(response, 404, "AI LLM configuration not found")


async def test_a_write_completes_while_a_validation_waits_on_the_provider(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    llm_id = await _create_for(client, ids, fake, "OPENAI", good=True)
    # The check timeout here is 2 s: the fake answers just before it.
    validated = client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    result = await write_during_stall(fake.server, validated, client, ids.admin, delay=1.5)
    assert result.write.status_code == 201
    assert result.write_seconds < 0.75
    assert result.stalled.json()["success"] is True
