"""`POST /api/v1/workspaces/{id}/providers/{name}/check`."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from aiport.adapters import PROVIDER_TYPES
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import AuditEvent, Credential, Provider
from tests.checks.arrange import StoreProvider, store_fake
from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.fakes.ollama import FakeOllama
from tests.polling import eventually


def _check_url(name: str, workspace_id: int = 1) -> str:
    return f"/api/v1/workspaces/{workspace_id}/providers/{name}/check"


async def test_an_admin_checks_every_credential_and_the_results_are_stored(
    client: httpx.AsyncClient,
    app: FastAPI,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    provider_id = await store_fake(store_provider, fake, "openai-team", bad=True)
    response = await client.post(_check_url("openai-team"), headers=ids.admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    port = fake.server.port
    assert body["status"] == "degraded"
    assert body["message"].startswith(
        f"1 of 2 credentials work; sk-b...{fake.bad_plaintext[-4:]}: the key was refused by 127.0.0.1:{port}: 401"
    )
    bad, good = body["credentials"]
    assert (bad["status"], good["status"]) == ("invalid", "ok")
    assert good["message"] == f"127.0.0.1:{port} accepted the key: 3 models available"
    assert good["mask"] == f"sk-g...{fake.good_plaintext[-4:]}"
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        provider = await session.get(Provider, provider_id)
        assert provider is not None
        assert provider.check_status == "degraded"
        assert provider.checked_at == datetime.fromisoformat(body["checked_at"])
        credentials = (
            (
                await session.execute(
                    select(Credential)
                    .where(Credential.provider_id == provider_id)
                    .order_by(Credential.position)
                )
            )
            .scalars()
            .all()
        )
        assert [(c.status, c.status_message) for c in credentials] == [
            (bad["status"], bad["message"]),
            (good["status"], good["message"]),
        ]
        audit = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "provider.check"))
        ).scalar_one()
        assert audit.diff["status"] == "degraded"


@pytest.mark.parametrize("provider_type", PROVIDER_TYPES)
async def test_every_type_is_checked_through_the_endpoint(
    provider_type: str,
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider(provider_type)
    await store_fake(store_provider, fake, f"{provider_type}-main")
    response = await client.post(_check_url(f"{provider_type}-main"), headers=ids.admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok", response.json()["message"]


async def test_a_member_may_not_check(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("anthropic")
    await store_fake(store_provider, fake, "claude")
    response = await client.post(_check_url("claude"), headers=ids.member.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "not_workspace_admin"
    assert fake.server.requests == []


async def test_an_outsider_is_told_the_workspace_does_not_exist(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("anthropic")
    await store_fake(store_provider, fake, "claude")
    response = await client.post(_check_url("claude"), headers=ids.outsider.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"


async def test_an_unknown_provider_is_not_found(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(_check_url("no-such-provider"), headers=ids.admin.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "provider_not_found"


async def test_a_request_without_a_token_is_unauthenticated(client: httpx.AsyncClient) -> None:
    response = await client.post(_check_url("anything"))
    assert response.status_code == 401
    assert response.json()["code"] == "missing_token"


async def test_an_undecryptable_credential_is_reported_and_the_others_checked(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("mistral")
    await store_provider(
        "mistral",
        "mistral",
        fake.target.base_url,
        secrets=[("api_key", fake.good_plaintext)],
        undecryptable=[("api_key", "sk-lost-000000000000")],
    )
    response = await client.post(_check_url("mistral"), headers=ids.admin.headers)
    assert response.status_code == 200
    good, lost = response.json()["credentials"]
    assert good["status"] == "ok"
    assert lost["status"] == "undecryptable"
    assert lost["message"] == "its encryption key is not in the key ring; replace the credential"
    assert response.json()["status"] == "degraded"
    assert len(fake.server.requests) == 1


async def test_a_provider_without_credentials_says_so(
    client: httpx.AsyncClient, ids: Identities, store_provider: StoreProvider
) -> None:
    await store_provider("openai", "openai", "https://api.openai.com/v1")
    response = await client.post(_check_url("openai"), headers=ids.admin.headers)
    assert response.json()["status"] == "no_credentials"
    assert response.json()["message"] == "this openai provider has no credentials to check"


async def test_a_local_ollama_is_checked_without_a_key(
    client: httpx.AsyncClient, ids: Identities, store_provider: StoreProvider
) -> None:
    async with FakeOllama() as ollama:
        await store_provider("ollama", "ollama", ollama.url)
        response = await client.post(_check_url("ollama"), headers=ids.admin.headers)
    assert response.json()["status"] == "ok"
    assert response.json()["credentials"] == []


async def test_no_key_appears_in_the_response_the_logs_or_the_audit(
    client: httpx.AsyncClient,
    app: FastAPI,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai", bad=True)
    response = await client.post(_check_url("openai"), headers=ids.admin.headers)
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        audit = (await session.execute(select(AuditEvent))).scalars().all()
    everything = response.text + caplog.text + repr([a.diff for a in audit])
    assert fake.bad_plaintext in fake.server.requests[0].headers["authorization"]
    for secret in (fake.good_plaintext, fake.bad_plaintext):
        assert secret not in everything


async def test_the_database_is_not_held_while_the_upstream_is_slow(
    client: httpx.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    store_provider: StoreProvider,
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "openai")
    fake.server.answer_delay = 1.0
    check = asyncio.create_task(client.post(_check_url("openai"), headers=ids.admin.headers))
    await eventually(lambda: len(fake.server.requests) == 1, what="the check reached the fake")
    other = await asyncio.wait_for(
        client.get("/api/v1/workspaces", headers=ids.member.headers), timeout=0.6
    )
    assert other.status_code == 200
    assert not check.done()
    assert (await check).json()["status"] == "ok"
