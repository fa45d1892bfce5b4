"""`POST /api/models/test` on saved models (spec checklist 15, 21, 23), the key's hygiene, and
models that draw their keys from a workspace provider."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential
from tests.factories import Identities, register_model, store_provider, unique_name
from tests.fakes.catalog import FakeProvider
from tests.fakes.fixtures import StartFake
from tests.fakes.stall import write_during_stall
from tests.surfaces.xagent.support import BASE


async def _register_at(
    client: httpx.AsyncClient, ids: Identities, fake: FakeProvider, **fields: object
) -> dict[str, object]:
    return await register_model(
        client,
        ids.member.headers,
        api_key=fake.good_plaintext,
        base_url=fake.target.base_url,
        **fields,
    )


async def _database_text(app: FastAPI, database_url: str) -> str:
    """Everything the database holds, as text: every row of every table (and on SQLite the
    raw file bytes, WAL included)."""
    dumped: list[str] = []
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        for table in ("models", "credentials", "audit_events", "model_defaults"):
            rows = await session.execute(text(f"SELECT * FROM {table}"))
            dumped.extend(str(tuple(row)) for row in rows)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        for path in (Path(url.database), Path(url.database + "-wal")):
            if path.exists():
                dumped.append(path.read_bytes().decode("latin-1"))
    return "\n".join(dumped)


async def test_a_saved_model_is_tested_and_its_key_appears_nowhere(
    client: httpx.AsyncClient,
    app: FastAPI,
    ids: Identities,
    fake_provider: StartFake,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake = await fake_provider("openai")
    key = fake.good_plaintext
    responses = []
    created_response = await client.post(
        f"{BASE}/register",
        json={
            "model_id": "tested-model",
            "model_provider": "openai",
            "model_name": "gpt-4o",
            "api_key": key,
            "base_url": fake.target.base_url,
        },
        headers=ids.member.headers,
    )
    responses.append(created_response)
    tested = await client.post(f"{BASE}/test", headers=ids.member.headers)
    responses.append(tested)
    responses.append(await client.get(f"{BASE}/", headers=ids.member.headers))
    responses.append(await client.get(f"{BASE}/tested-model", headers=ids.member.headers))
    responses.append(await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers))
    results = tested.json()
    assert [(r["model_id"], r["status"], r["message"], r["error"]) for r in results] == [
        ("tested-model", "passed", "Model test successful", None)
    ]
    assert fake.server.requests_to("/chat/completions")[-1].headers["authorization"] == (
        f"Bearer {key}"
    )
    for response in responses:
        assert key not in response.text
    assert key not in caplog.text
    stored = await _database_text(app, database_url)
    assert "tested-model" in stored
    assert key not in stored


async def test_an_empty_api_key_on_update_keeps_a_key_that_still_works(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    created = await _register_at(client, ids, fake)
    await client.put(
        f"{BASE}/{created['model_id']}",
        json={"api_key": "", "description": "kept"},
        headers=ids.member.headers,
    )
    results = (await client.post(f"{BASE}/test", headers=ids.member.headers)).json()
    assert [r["status"] for r in results] == ["passed"]


async def test_only_the_named_models_are_tested(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    first = await _register_at(client, ids, fake)
    await _register_at(client, ids, fake)
    response = await client.post(
        f"{BASE}/test", json={"model_ids": [first["model_id"]]}, headers=ids.member.headers
    )
    assert [r["model_id"] for r in response.json()] == [first["model_id"]]
    nothing = await client.post(
        f"{BASE}/test", json={"model_ids": ["no-such-model"]}, headers=ids.member.headers
    )
    assert nothing.json() == []
    assert (await client.post(f"{BASE}/test", headers=ids.admin.headers)).json() == []


async def test_non_chat_models_are_reported_unsupported(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    embedding = await register_model(
        client, ids.member.headers, category="embedding", abilities=["embedding"]
    )
    results = (await client.post(f"{BASE}/test", headers=ids.member.headers)).json()
    assert results == [
        {
            "model_id": embedding["model_id"],
            "status": "failed",
            "response_time": None,
            "message": "Failed to create LLM instance",
            "error": "Unsupported model type",
        }
    ]


async def test_a_failing_saved_model_is_failed_and_its_key_marked(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    created = await register_model(
        client, ids.member.headers, api_key=fake.bad_plaintext, base_url=fake.target.base_url
    )
    response = await client.post(f"{BASE}/test", headers=ids.member.headers)
    result = response.json()[0]
    assert (result["status"], result["message"]) == ("failed", "Model test failed")
    assert fake.bad_plaintext not in response.text
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        credential = (
            await session.execute(select(Credential).where(Credential.model_id == created["id"]))
        ).scalar_one()
    assert credential.status == "invalid"
    assert credential.checked_at is not None


async def test_a_member_tests_a_shared_model_with_the_owners_key_unseen(
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
    response = await client.post(f"{BASE}/test", headers=ids.member.headers)
    assert [r["status"] for r in response.json()] == ["passed"]
    assert fake.good_plaintext not in response.text


async def _provider(app: FastAPI, fake: FakeProvider, *, enabled: bool = True) -> str:
    """A workspace-1 provider pointing at the fake, with the fake's good key."""
    name = unique_name("team")
    secrets = [("api_key", fake.good_plaintext)]
    await store_provider(
        app, name, fake.type, fake.target.base_url, secrets=secrets, enabled=enabled
    )
    return name


async def test_a_model_can_draw_its_key_from_a_workspace_provider(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    name = await _provider(app, fake)
    body = {
        "model_id": "team-model",
        "model_provider": "openai",
        "model_name": "gpt-4o",
        "aiport_provider": name,
    }
    created = await client.post(f"{BASE}/register", json=body, headers=ids.member.headers)
    assert created.status_code == 200, created.text
    assert "aiport_provider" not in created.json()
    results = (await client.post(f"{BASE}/test", headers=ids.member.headers)).json()
    assert [r["status"] for r in results] == ["passed"]
    call = fake.server.requests_to("/chat/completions")[-1]
    assert call.headers["authorization"] == f"Bearer {fake.good_plaintext}"


async def test_a_disabled_provider_fails_the_test(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    name = await _provider(app, fake, enabled=False)
    await register_model(client, ids.member.headers, aiport_provider=name, api_key=None)
    result = (await client.post(f"{BASE}/test", headers=ids.member.headers)).json()[0]
    assert result["status"] == "failed"
    assert "disabled" in result["error"]


async def test_an_own_key_switches_a_model_off_its_provider(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    name = await _provider(app, fake, enabled=False)
    created = await register_model(
        client,
        ids.member.headers,
        aiport_provider=name,
        api_key=None,
        base_url=fake.target.base_url,
    )
    await client.put(
        f"{BASE}/{created['model_id']}",
        json={"api_key": fake.good_plaintext},
        headers=ids.member.headers,
    )
    result = (await client.post(f"{BASE}/test", headers=ids.member.headers)).json()[0]
    assert result["status"] == "passed"


async def test_an_unknown_provider_is_400(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/register",
        json={
            "model_id": "m",
            "model_provider": "openai",
            "model_name": "gpt-4o",
            "aiport_provider": "nope",
        },
        headers=ids.member.headers,
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Provider 'nope' not found in this workspace"},
    )


async def test_an_own_key_and_a_provider_together_are_400(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    name = await _provider(app, await fake_provider("openai"))
    response = await client.post(
        f"{BASE}/register",
        json={
            "model_id": "m",
            "model_provider": "openai",
            "model_name": "gpt-4o",
            "api_key": "sk-own-0123456789",
            "aiport_provider": name,
        },
        headers=ids.member.headers,
    )
    assert response.status_code == 400
    assert "sk-own-0123456789" not in response.text


async def test_a_write_completes_while_a_saved_model_test_waits_on_the_provider(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    created = await _register_at(client, ids, fake)
    tested = client.post(f"{BASE}/test", headers=ids.member.headers)
    result = await write_during_stall(fake.server, tested, client, ids.admin, delay=3.0)
    assert result.write.status_code == 201
    assert result.write_seconds < 1.0
    assert [r["status"] for r in result.stalled.json()] == ["passed"]
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        credential = (
            await session.execute(select(Credential).where(Credential.model_id == created["id"]))
        ).scalar_one()
    assert (credential.status, credential.checked_at is not None) == ("ok", True)
