"""Undo and redo of Xagent model changes: rows, own keys (still decryptable), and the defaults a
change removed, put back exactly; each client session replays only its own changes."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from fastapi import FastAPI
from sqlalchemy import select, text

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, Model, ModelDefault
from aiport.vault import KeyRing, aad
from tests.actions.support import SESSION, actions, redo, undo
from tests.factories import Caller, Identities, make_user, register_model, set_default_model
from tests.fakes.fixtures import StartFake
from tests.surfaces.xagent.support import BASE

KEY_1 = "sk-model-one-0123456789abcdefOOOO"
KEY_2 = "sk-model-two-0123456789abcdefTTTT"
# Moves on every restore, as on every change.
_MOVING = {"updated_at"}

Rows = tuple[dict[str, Any] | None, list[dict[str, Any]], list[dict[str, Any]]]


def xagent(caller: Caller, session: str | None = SESSION) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {caller.token}"}
    if session is not None:
        headers["ClientSessionId"] = session
    return headers


def _done(action_type: str, code: str = "SUCCESS") -> dict[str, Any]:
    return {
        "actions": [{"action_type": action_type, "action_scope": "workspace1"}],
        "result_code": code,
    }


def _without(row: dict[str, Any] | None, keys: set[str]) -> dict[str, Any] | None:
    return None if row is None else {k: v for k, v in row.items() if k not in keys}


async def _rows(app: FastAPI, pk: int) -> Rows:
    """The model row, its credential rows and the defaults pointing at it, every column."""
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        model = (
            (await session.execute(select(Model.__table__).where(Model.__table__.c.id == pk)))
            .mappings()
            .first()
        )
        credentials = (
            (
                await session.execute(
                    select(Credential.__table__).where(Credential.__table__.c.model_id == pk)
                )
            )
            .mappings()
            .all()
        )
        defaults = (
            (
                await session.execute(
                    select(ModelDefault.__table__)
                    .where(ModelDefault.__table__.c.model_id == pk)
                    .order_by(ModelDefault.__table__.c.id)
                )
            )
            .mappings()
            .all()
        )
    return (
        dict(model) if model else None,
        [dict(c) for c in credentials],
        [dict(d) for d in defaults],
    )


def _key_of(app: FastAPI, rows: Rows) -> str:
    """The model's own key as a call would decrypt it."""
    ring: KeyRing = app.state.runtime.keyring
    (credential,) = rows[1]
    return ring.decrypt(credential["ciphertext"], aad("credentials", credential["id"], "secret"))


async def test_undo_of_a_model_create_removes_it_and_redo_brings_back_the_same_model(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, xagent(ids.member), api_key=KEY_1)
    rows = await _rows(app, created["id"])

    assert await undo(client, ids.member) == _done("model.create")
    assert await _rows(app, created["id"]) == (None, [], [])
    gone = await client.get(f"{BASE}/{created['model_id']}", headers=xagent(ids.member))
    assert gone.status_code == 404

    assert await redo(client, ids.member) == _done("model.create")
    again = await _rows(app, created["id"])
    assert _without(again[0], _MOVING) == _without(rows[0], _MOVING)
    assert again[1] == rows[1]
    assert _key_of(app, again) == KEY_1
    shown = await client.get(f"{BASE}/{created['model_id']}", headers=xagent(ids.member))
    assert shown.json()["id"] == created["id"]


async def test_undo_of_an_update_brings_back_the_fields_and_the_old_key_and_redo_the_new(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    created = await register_model(
        client,
        xagent(ids.member, session=None),
        api_key=fake.good_plaintext,
        base_url=fake.target.base_url,
        temperature=0.2,
        description="first",
    )
    rows = await _rows(app, created["id"])
    updated = await client.put(
        f"{BASE}/{created['model_id']}",
        json={"api_key": fake.bad_plaintext, "description": "second", "temperature": 0.9},
        headers=xagent(ids.member),
    )
    assert updated.status_code == 200, updated.text
    changed = await _rows(app, created["id"])
    assert changed[1][0]["id"] == rows[1][0]["id"]  # the key changed in place

    assert await undo(client, ids.member) == _done("model.update")
    restored = await _rows(app, created["id"])
    assert _without(restored[0], _MOVING) == _without(rows[0], _MOVING)
    assert restored[1] == rows[1]
    tested = await client.post(f"{BASE}/test", headers=xagent(ids.member))
    assert tested.json()[0]["status"] == "passed"
    assert fake.server.requests_to("/chat/completions")[-1].headers["authorization"] == (
        f"Bearer {fake.good_plaintext}"
    )

    assert await redo(client, ids.member) == _done("model.update")
    redone = await _rows(app, created["id"])
    assert _without(redone[0], _MOVING) == _without(changed[0], _MOVING)
    assert redone[1] == changed[1]
    tested = await client.post(f"{BASE}/test", headers=xagent(ids.member))
    assert tested.json()[0]["status"] == "failed"
    assert fake.server.requests_to("/chat/completions")[-1].headers["authorization"] == (
        f"Bearer {fake.bad_plaintext}"
    )


async def test_undo_of_a_delete_brings_back_the_model_its_key_and_its_defaults(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    shared = await register_model(
        client, xagent(ids.admin, session=None), api_key=KEY_1, share_with_users=True
    )
    await set_default_model(client, xagent(ids.member, session=None), shared["id"])
    await set_default_model(client, xagent(ids.member, session=None), shared["id"], "small_fast")
    rows = await _rows(app, shared["id"])
    assert len(rows[2]) == 2
    deleted = await client.delete(f"{BASE}/{shared['model_id']}", headers=xagent(ids.admin))
    assert deleted.status_code == 200
    assert await _rows(app, shared["id"]) == (None, [], [])

    assert await undo(client, ids.admin) == _done("model.delete")
    restored = await _rows(app, shared["id"])
    assert _without(restored[0], _MOVING) == _without(rows[0], _MOVING)
    assert restored[1:] == rows[1:]
    assert _key_of(app, restored) == KEY_1
    chosen = await client.get(f"{BASE}/user-default/general", headers=xagent(ids.member))
    assert chosen.json()["model_id"] == shared["id"]

    assert await redo(client, ids.admin) == _done("model.delete")
    assert await _rows(app, shared["id"]) == (None, [], [])


async def test_undo_of_an_unshare_brings_back_the_defaults_it_removed(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    shared = await register_model(client, xagent(ids.admin, session=None), share_with_users=True)
    await set_default_model(client, xagent(ids.member, session=None), shared["id"])
    rows = await _rows(app, shared["id"])
    unshared = await client.put(
        f"{BASE}/{shared['model_id']}",
        json={"share_with_users": False},
        headers=xagent(ids.admin),
    )
    assert unshared.status_code == 200
    assert (await _rows(app, shared["id"]))[2] == []

    assert await undo(client, ids.admin) == _done("model.update")
    restored = await _rows(app, shared["id"])
    assert restored[0] is not None
    assert restored[0]["is_shared"] is True
    assert restored[2] == rows[2]

    assert await redo(client, ids.admin) == _done("model.update")
    redone = await _rows(app, shared["id"])
    assert redone[0] is not None
    assert (redone[0]["is_shared"], redone[2]) == (False, [])


async def test_default_model_changes_are_undone_and_redone(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    headers = xagent(ids.member)
    first = await register_model(client, xagent(ids.member, session=None))
    second = await register_model(client, xagent(ids.member, session=None))
    await set_default_model(client, headers, first["id"])
    await set_default_model(client, headers, second["id"])
    assert (await client.delete(f"{BASE}/user-default/general", headers=headers)).status_code == 200

    async def chosen() -> int | None:
        got = (await client.get(f"{BASE}/user-default/general", headers=headers)).json()
        return None if got is None else int(got["model_id"])

    assert await undo(client, ids.member) == _done("model.default.delete")
    assert await chosen() == second["id"]
    assert await undo(client, ids.member) == _done("model.default.set")
    assert await chosen() == first["id"]
    assert await undo(client, ids.member) == _done("model.default.set")
    assert await chosen() is None
    assert await redo(client, ids.member) == _done("model.default.set")
    assert await chosen() == first["id"]


async def test_each_client_session_undoes_only_its_own_model_changes(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    in_first = await register_model(client, xagent(ids.member, "tab-1"))
    in_second = await register_model(client, xagent(ids.member, "tab-2"))
    other_user = await make_user(app, role="member")
    await register_model(client, xagent(other_user, "tab-2"))

    assert await undo(client, ids.member, "tab-2") == _done("model.create")
    assert (await _rows(app, in_second["id"]))[0] is None
    assert (await _rows(app, in_first["id"]))[0] is not None
    assert (await undo(client, ids.member, "tab-2"))["result_code"] == "NOTHING_TO_DO"
    assert await undo(client, ids.member, "tab-1") == _done("model.create")
    assert (await _rows(app, in_first["id"]))[0] is None
    listed = (await client.get(f"{BASE}/", headers=xagent(other_user))).json()
    assert len(listed) == 1


async def test_action_rows_hold_no_plaintext_model_key(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, xagent(ids.member), api_key=KEY_1)
    await client.put(
        f"{BASE}/{created['model_id']}", json={"api_key": KEY_2}, headers=xagent(ids.member)
    )
    await client.delete(f"{BASE}/{created['model_id']}", headers=xagent(ids.member))
    recorded = await actions(app)
    assert [a.type for a in recorded] == ["model.create", "model.update", "model.delete"]
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        raw = "\n".join(
            str(tuple(row)) for row in await session.execute(text("SELECT * FROM actions"))
        )
    ring: KeyRing = app.state.runtime.keyring
    opened = [
        ring.decrypt(sealed, aad("actions", a.id, side))
        for a in recorded
        for side, sealed in (("before", a.before_state), ("after", a.after_state))
        if sealed is not None
    ]
    for secret in (KEY_1, KEY_2):
        assert secret not in raw
        assert all(secret not in state for state in opened)
    (update_before,) = orjson.loads(opened[2])["models"].values()
    assert update_before["credentials"][0]["ciphertext"].startswith("v1.")


async def test_redo_of_a_create_whose_model_id_was_taken_meanwhile_is_skipped_due_to_error(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, xagent(ids.member), model_id="taken-later")
    await undo(client, ids.member)
    newcomer = await register_model(
        client, xagent(ids.member, session=None), model_id="taken-later"
    )

    assert await redo(client, ids.member) == _done("model.create", "SKIPPED_DUE_TO_ERROR")
    (action,) = await actions(app)
    assert action.error is not None
    assert "model_restore_conflict" in action.error
    shown = (await client.get(f"{BASE}/taken-later", headers=xagent(ids.member))).json()
    assert (shown["id"], shown["created_at"]) == (newcomer["id"], newcomer["created_at"])
    assert created["model_id"] == newcomer["model_id"]


async def test_undo_of_a_create_never_removes_a_later_model_that_took_its_freed_id(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await register_model(client, xagent(ids.member))
    outside = xagent(ids.member, session=None)
    assert (
        await client.delete(f"{BASE}/{created['model_id']}", headers=outside)
    ).status_code == 200
    later = await register_model(client, outside)

    assert await undo(client, ids.member) == _done("model.create")
    assert (await _rows(app, later["id"]))[0] is not None
    # SQLite gives the freed id to the later model: the redo cannot have it back and fails.
    reused = later["id"] == created["id"]
    assert await redo(client, ids.member) == _done(
        "model.create", "SKIPPED_DUE_TO_ERROR" if reused else "SUCCESS"
    )
    assert (await _rows(app, later["id"]))[0] is not None


async def test_an_owner_who_lost_the_admin_role_cannot_reshare_through_undo(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    second = await make_user(app, role="admin")
    shared = await register_model(client, xagent(second, session=None), share_with_users=True)
    demoted = await client.put(
        f"/api/v1/workspaces/1/members/{second.user_id}",
        headers=ids.admin.headers,
        json={"role": "member"},
    )
    assert demoted.status_code == 200
    unshared = await client.put(
        f"{BASE}/{shared['model_id']}", json={"share_with_users": False}, headers=xagent(second)
    )
    assert unshared.status_code == 200

    assert await undo(client, second) == _done("model.update", "SKIPPED_DUE_TO_ERROR")
    model = (await _rows(app, shared["id"]))[0]
    assert model is not None
    assert model["is_shared"] is False
