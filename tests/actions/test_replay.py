"""Undo and redo put providers back exactly: rows, keys (still decryptable) and models."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from aiport.auth.principal import Principal
from aiport.changes import hub
from aiport.changes.kinds import Change, ProviderChanged
from aiport.db.engine import make_sessionmaker
from aiport.providers.service import ProviderService
from aiport.workspaces.access import WorkspaceAccess
from tests.actions.support import (
    KEY_A,
    KEY_B,
    KEY_C,
    actions,
    coder,
    openai_provider,
    provider_rows,
    redo,
    undo,
)
from tests.factories import CODER_PROVIDERS, Identities, create_provider, make_user

# Moves on every restore, as on every change.
_MOVING = {"updated_at"}


def _without(row: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def _done(action_type: str, code: str = "SUCCESS") -> dict[str, Any]:
    return {
        "actions": [{"action_type": action_type, "action_scope": "workspace1"}],
        "result_code": code,
    }


async def _secrets(app: FastAPI, name: str) -> list[str]:
    """The provider's keys as the gateway would decrypt them."""
    principal = Principal(
        user_id=1, email="admin@localhost", is_admin=True, token_id=0, token_workspace_id=None
    )
    access = WorkspaceAccess(workspace_id=1, role="admin", principal=principal)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        revealed = await ProviderService(
            session, app.state.runtime.keyring, access
        ).reveal_credentials(name)
    return [r.secret.get_secret_value() for r in revealed if isinstance(r.secret, SecretStr)]


async def test_undo_of_a_delete_restores_the_provider_its_keys_and_models_exactly(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    headers = coder(ids.admin)
    await create_provider(client, headers, openai_provider("openai", [KEY_A, KEY_B]))
    await client.patch(f"{CODER_PROVIDERS}/openai", headers=headers, json={"icon": "/icon.svg"})
    await client.patch(
        "/api/workspaces/1/settings/generative-ai/",
        headers={"Authorization": f"JWT {ids.admin.token}"},
        json={
            "openai": {
                "api_key": "sk-a...AAAA",
                "organization": "org-7",
                "models": ["gpt-4o", "o3"],
            }
        },
    )
    provider, credentials = await provider_rows(app, "openai")
    assert (await client.delete(f"{CODER_PROVIDERS}/openai", headers=headers)).status_code == 204

    assert await undo(client, ids.admin) == _done("provider.delete")

    restored, restored_credentials = await provider_rows(app, "openai")
    assert _without(restored, _MOVING) == _without(provider, _MOVING)
    assert restored["models"] == ["gpt-4o", "o3"]
    assert restored["settings"] == {"organization": "org-7"}
    assert restored_credentials == credentials
    assert await _secrets(app, "openai") == [KEY_A, KEY_B]


async def test_undo_of_a_key_replacement_brings_the_old_key_back_and_redo_the_new(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    headers = coder(ids.admin)
    await create_provider(client, headers, openai_provider("openai", [KEY_A]))
    _, old_credentials = await provider_rows(app, "openai")
    replaced = await client.patch(
        f"{CODER_PROVIDERS}/openai", headers=headers, json={"api_keys": [{"api_key": KEY_C}]}
    )
    assert replaced.status_code == 200
    _, new_credentials = await provider_rows(app, "openai")

    assert await undo(client, ids.admin) == _done("provider.update")
    assert (await provider_rows(app, "openai"))[1] == old_credentials
    assert await _secrets(app, "openai") == [KEY_A]

    assert await redo(client, ids.admin) == _done("provider.update")
    assert (await provider_rows(app, "openai"))[1] == new_credentials
    assert await _secrets(app, "openai") == [KEY_C]


async def test_undo_of_a_create_removes_it_and_redo_brings_back_the_same_provider(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    created = await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    assert await undo(client, ids.admin) == _done("provider.create")
    assert (
        await client.get(f"{CODER_PROVIDERS}/openai", headers=coder(ids.admin))
    ).status_code == 404
    assert await redo(client, ids.admin) == _done("provider.create")
    again = await client.get(f"{CODER_PROVIDERS}/openai", headers=coder(ids.admin))
    assert _without(again.json(), _MOVING) == _without(created, _MOVING)
    assert await _secrets(app, "openai") == [KEY_A]


async def test_undo_of_a_delete_whose_name_was_taken_meanwhile_is_skipped_due_to_error(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    headers = coder(ids.admin)
    await create_provider(
        client, coder(ids.admin, session=None), openai_provider("openai", [KEY_A])
    )
    await client.delete(f"{CODER_PROVIDERS}/openai", headers=headers)
    newcomer = await create_provider(
        client, coder(ids.admin, session=None), openai_provider("openai", [KEY_B])
    )

    assert await undo(client, ids.admin) == _done("provider.delete", "SKIPPED_DUE_TO_ERROR")
    (action,) = await actions(app)
    assert action.undone_at is not None
    assert action.error is not None
    assert "provider_restore_conflict" in action.error
    live = (await client.get(f"{CODER_PROVIDERS}/openai", headers=headers)).json()
    assert live["id"] == newcomer["id"]
    # The next undo moves past it; a redo only marks it done again (nothing was undone).
    assert (await undo(client, ids.admin))["result_code"] == "NOTHING_TO_DO"
    assert await redo(client, ids.admin) == _done("provider.delete", "SKIPPED_DUE_TO_ERROR")
    (action,) = await actions(app)
    assert action.undone_at is None
    assert (await client.get(f"{CODER_PROVIDERS}/openai", headers=headers)).json()[
        "id"
    ] == newcomer["id"]


async def test_an_action_group_is_undone_and_redone_as_one(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    group = str(uuid.uuid4())
    grouped = coder(ids.admin, ClientUndoRedoActionGroupId=group)
    await create_provider(client, coder(ids.admin), openai_provider("first", [KEY_A]))
    await create_provider(client, grouped, openai_provider("second", [KEY_B]))
    await create_provider(client, grouped, openai_provider("third", [KEY_C]))

    answer = await undo(client, ids.admin)
    assert answer["result_code"] == "SUCCESS"
    assert len(answer["actions"]) == 2
    names = [
        p["name"] for p in (await client.get(CODER_PROVIDERS, headers=coder(ids.admin))).json()
    ]
    assert names == ["first"]
    assert len((await redo(client, ids.admin))["actions"]) == 2
    names = [
        p["name"] for p in (await client.get(CODER_PROVIDERS, headers=coder(ids.admin))).json()
    ]
    assert names == ["first", "second", "third"]


async def test_a_user_who_lost_the_admin_role_cannot_undo(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    second = await make_user(app, role="admin")
    await create_provider(client, coder(second), openai_provider("openai", [KEY_A]))
    demoted = await client.put(
        f"/api/v1/workspaces/1/members/{second.user_id}",
        headers=ids.admin.headers,
        json={"role": "member"},
    )
    assert demoted.status_code == 200
    assert await undo(client, second) == _done("provider.create", "SKIPPED_DUE_TO_ERROR")
    assert (
        await client.get(f"{CODER_PROVIDERS}/openai", headers=coder(ids.admin))
    ).status_code == 200


async def test_undo_and_redo_tell_the_gateway_after_the_commit(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    heard: list[ProviderChanged] = []

    def hear(change: Change) -> None:
        if isinstance(change, ProviderChanged):
            heard.append(change)

    unsubscribe = hub.subscribe(hear)
    try:
        created = await create_provider(
            client, coder(ids.admin), openai_provider("openai", [KEY_A])
        )
        heard.clear()
        await undo(client, ids.admin)
        await redo(client, ids.admin)
    finally:
        unsubscribe()
    provider_id = uuid.UUID(created["id"])
    assert [(c.provider_id, c.action) for c in heard] == [
        (provider_id, "delete"),
        (provider_id, "create"),
    ]


async def test_undo_and_redo_are_audited(client: httpx.AsyncClient, ids: Identities) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    await undo(client, ids.admin)
    await redo(client, ids.admin)
    events_ = (await client.get("/api/v1/workspaces/1/audit", headers=ids.admin.headers)).json()
    assert [e["action"] for e in events_][:2] == ["action.redo", "action.undo"]
