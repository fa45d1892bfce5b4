"""Actions live 120 minutes after their last update; the key rotation covers their states."""

from __future__ import annotations

from datetime import timedelta

import httpx
import orjson
from fastapi import FastAPI
from sqlalchemy import update

from aiport.actions.cleanup import ActionCleanup
from aiport.actions.service import RETENTION, purge_expired
from aiport.credentials.rotation import rotate_secrets
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Action
from aiport.db.types import utcnow
from aiport.vault import KeyRing, aad
from tests.actions.support import KEY_A, KEY_B, actions, coder, openai_provider
from tests.factories import Identities, create_provider


async def _set_updated(app: FastAPI, name_prefix: str, minutes_ago: int) -> None:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await session.execute(
            update(Action)
            .where(Action.type.startswith(name_prefix))
            .values(updated_at=utcnow() - timedelta(minutes=minutes_ago))
        )


async def test_purge_deletes_only_actions_not_updated_for_120_minutes(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("old", [KEY_A]))
    await client.delete("/api/v2/ai/providers/old", headers=coder(ids.admin))
    await _set_updated(app, "provider.create", 121)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        assert await purge_expired(session) == 1
    assert [a.type for a in await actions(app)] == ["provider.delete"]


async def test_purge_takes_now_from_its_caller(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    (action,) = await actions(app)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        almost = action.updated_at + RETENTION - timedelta(seconds=1)
        assert await purge_expired(session, now=almost) == 0
        assert (
            await purge_expired(session, now=action.updated_at + RETENTION + timedelta(seconds=1))
            == 1
        )


async def test_the_periodic_cleanup_purges_in_its_own_unit_of_work(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    await _set_updated(app, "provider", 200)
    cleanup = ActionCleanup(app.state.runtime.sessionmaker, interval=3600)
    assert await cleanup.run_once() == 1
    assert await actions(app) == []
    cleanup.start()
    await cleanup.stop()


async def test_an_undo_refreshes_the_actions_lifetime(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    await _set_updated(app, "provider", 100)
    response = await client.patch(
        "/api/user/undo/",
        headers={"Authorization": f"JWT {ids.admin.token}", "ClientSessionId": "tab-1"},
        json={"scopes": {}},
    )
    assert response.json()["result_code"] == "SUCCESS"
    (action,) = await actions(app)
    assert utcnow() - action.updated_at < timedelta(minutes=1)


async def test_key_rotation_rewraps_action_states(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, secret_key: str
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    await client.patch(
        "/api/v2/ai/providers/openai",
        headers=coder(ids.admin),
        json={"api_keys": [{"api_key": KEY_B}]},
    )
    new_key = KeyRing.generate_key()
    report = await rotate_secrets(
        app.state.runtime.engine, KeyRing.from_base64(f"{new_key},{secret_key}")
    )
    assert report.undecryptable == 0
    only_new = KeyRing.from_base64(new_key)
    recorded = await actions(app)
    assert len(recorded) == 2
    for action in recorded:
        assert action.before_key_id == action.after_key_id == only_new.primary_key_id
        for side, sealed in (("before", action.before_state), ("after", action.after_state)):
            assert sealed is not None
            state = orjson.loads(only_new.decrypt(sealed, aad("actions", action.id, side)))
            assert set(state) == {"providers"}
