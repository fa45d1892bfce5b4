"""Which changes become Actions, and how they are stored: sealed whole, bound to their row."""

from __future__ import annotations

import uuid

import httpx
import orjson
import pytest
from fastapi import FastAPI

from aiport.vault import KeyRing, UndecryptableSecret, aad
from tests.actions.support import KEY_A, KEY_B, SESSION, actions, coder, openai_provider
from tests.factories import Identities, create_provider


def _keyring(app: FastAPI) -> KeyRing:
    keyring: KeyRing = app.state.runtime.keyring
    return keyring


async def test_changes_without_a_client_session_record_no_action(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(
        client, coder(ids.admin, session=None), openai_provider("openai", [KEY_A])
    )
    assert await actions(app) == []


async def test_coder_changes_in_a_session_are_recorded_with_their_type_and_scope(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    headers = coder(ids.admin)
    await create_provider(client, headers, openai_provider("openai", [KEY_A]))
    patched = await client.patch(
        "/api/v2/ai/providers/openai", headers=headers, json={"api_keys": [{"api_key": KEY_B}]}
    )
    assert patched.status_code == 200
    assert (await client.delete("/api/v2/ai/providers/openai", headers=headers)).status_code == 204
    recorded = await actions(app)
    assert [(a.type, a.scope, a.client_session, a.user_id, a.workspace_id) for a in recorded] == [
        ("provider.create", "workspace1", SESSION, ids.admin.user_id, 1),
        ("provider.update", "workspace1", SESSION, ids.admin.user_id, 1),
        ("provider.delete", "workspace1", SESSION, ids.admin.user_id, 1),
    ]
    assert all(a.action_group is None and a.undone_at is None for a in recorded)


async def test_the_action_group_header_is_recorded(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    group = uuid.uuid4()
    await create_provider(
        client,
        coder(ids.admin, ClientUndoRedoActionGroupId=str(group)),
        openai_provider("openai", [KEY_A]),
    )
    (action,) = await actions(app)
    assert action.action_group == group


async def test_a_refused_change_records_no_action(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    response = await client.post(
        "/api/v2/ai/providers",
        headers=coder(ids.member),
        json={"type": "openai", "name": "x", "base_url": "https://api.openai.com/v1"},
    )
    assert response.status_code == 403
    assert await actions(app) == []


async def test_states_are_sealed_whole_and_hold_the_rows_before_and_after(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    (action,) = await actions(app)
    assert action.before_state is not None
    assert action.after_state is not None
    assert action.before_key_id == action.after_key_id == _keyring(app).primary_key_id
    before = orjson.loads(
        _keyring(app).decrypt(action.before_state, aad("actions", action.id, "before"))
    )
    after = orjson.loads(
        _keyring(app).decrypt(action.after_state, aad("actions", action.id, "after"))
    )
    assert before == {"providers": {created["id"]: None}}
    state = after["providers"][created["id"]]
    assert (state["name"], state["display_name"], state["enabled"]) == (
        "openai",
        "openai display",
        True,
    )
    (credential,) = state["credentials"]
    assert credential["id"] == created["api_keys"][0]["id"]
    assert credential["mask"] == created["api_keys"][0]["masked"]
    # The key inside stays a vault ciphertext bound to its credential row.
    assert KEY_A not in credential["ciphertext"]
    assert (
        _keyring(app).decrypt(
            credential["ciphertext"], aad("credentials", credential["id"], "secret")
        )
        == KEY_A
    )


async def test_a_state_copied_to_another_action_does_not_decrypt(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    (action,) = await actions(app)
    assert action.after_state is not None
    with pytest.raises(UndecryptableSecret):
        _keyring(app).decrypt(action.after_state, aad("actions", uuid.uuid4(), "after"))
    with pytest.raises(UndecryptableSecret):
        _keyring(app).decrypt(action.after_state, aad("actions", action.id, "before"))
