"""Changes reach the gateway's caches: from another worker (SQLite) and from a model edit."""

from __future__ import annotations

from pathlib import Path

import httpx
import httpx2
import openai
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine

from aiport.changes import hub
from aiport.changes.bus import ChangeBus
from aiport.changes.kinds import AnythingChanged, Change, ModelChanged
from tests.clients import openai_client
from tests.factories import XAGENT_MODELS, Identities, register_model, unique_model_id
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of

HELLO = [{"role": "user", "content": "hello"}]


async def test_a_change_in_one_worker_reaches_another_through_the_shared_counter(
    tmp_path: Path,
) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    first = ChangeBus(redis=None, engine=engine, signal_file=tmp_path / "c")
    second = ChangeBus(redis=None, engine=engine, signal_file=tmp_path / "c")
    await first.start()
    await second.start()
    seen: list[Change] = []
    unsubscribe = hub.subscribe(seen.append)
    try:
        second.check_counter()
        quiet = list(seen)
        first.committed([ModelChanged(1)])
        second.check_counter()
        second.check_counter()
    finally:
        unsubscribe()
        await first.stop()
        await second.stop()
        await engine.dispose()

    assert quiet == []
    assert seen == [AnythingChanged()]


async def test_a_deleted_registered_model_is_refused_on_the_very_next_call(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    model_id = unique_model_id()
    await register_model(
        client,
        ids.member.headers,
        model_id=model_id,
        base_url=fake.target.base_url,
        api_key=fake.good_plaintext,
    )
    sdk = openai_client(asgi_http, ids.member.token)
    await sdk.chat.completions.create(model=model_id, messages=HELLO)  # type: ignore[arg-type]
    cached = len(gateway_of(app).models.cache)  # type: ignore[attr-defined]

    deleted = await client.delete(f"{XAGENT_MODELS}/{model_id}", headers=ids.member.headers)
    with pytest.raises(openai.NotFoundError):
        await sdk.chat.completions.create(model=model_id, messages=HELLO)  # type: ignore[arg-type]

    assert cached == 1
    assert deleted.status_code == 200, deleted.text
