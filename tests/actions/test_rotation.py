"""Key rotation reaches the credential ciphertexts inside undo states: after rotating and dropping
the old master key, an undo still restores a key that decrypts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from fastapi import FastAPI
from pydantic import SecretStr

from aiport.app import create_app
from aiport.auth.principal import Principal
from aiport.config import Settings
from aiport.credentials.rotation import RotationReport, rotate_secrets
from aiport.db.engine import make_sessionmaker
from aiport.providers.service import ProviderService
from aiport.vault import KeyRing, aad
from aiport.workspaces.access import WorkspaceAccess
from tests.actions.support import KEY_A, KEY_C, actions, coder, openai_provider, provider_rows, undo
from tests.clients import app_client
from tests.factories import CODER_PROVIDERS, Identities, create_provider


@asynccontextmanager
async def _app_with_keys(settings: Settings, keys: str) -> AsyncIterator[FastAPI]:
    """Another instance on the same database, configured with other master keys."""
    other = create_app(settings.model_copy(update={"secret_keys": keys}))
    async with other.router.lifespan_context(other):
        yield other


@asynccontextmanager
async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app, ("203.0.113.9", 51002)) as http:
        yield http


async def _secrets(app: FastAPI, name: str) -> list[Any]:
    """The provider's keys as the gateway would decrypt them with `app`'s key ring (None for
    a key it cannot decrypt)."""
    principal = Principal(
        user_id=1, email="admin@localhost", is_admin=True, token_id=0, token_workspace_id=None
    )
    access = WorkspaceAccess(workspace_id=1, role="admin", principal=principal)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        revealed = await ProviderService(
            session, app.state.runtime.keyring, access
        ).reveal_credentials(name)
    return [
        r.secret.get_secret_value() if isinstance(r.secret, SecretStr) else None for r in revealed
    ]


async def _replace_key(client: httpx.AsyncClient, ids: Identities, key: str) -> None:
    response = await client.patch(
        f"{CODER_PROVIDERS}/openai", headers=coder(ids.admin), json={"api_keys": [{"api_key": key}]}
    )
    assert response.status_code == 200, response.text


async def test_an_undo_after_rotation_and_removal_of_the_old_key_restores_a_working_key(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, settings: Settings, secret_key: str
) -> None:
    await create_provider(client, coder(ids.admin), openai_provider("openai", [KEY_A]))
    await _replace_key(client, ids, KEY_C)
    new_key = KeyRing.generate_key()

    report = await rotate_secrets(
        app.state.runtime.engine, KeyRing.from_base64(f"{new_key},{secret_key}")
    )

    # create's after, update's before and after each hold one credential ciphertext.
    assert (report.nested_rotated, report.nested_undecryptable, report.undecryptable) == (3, 0, 0)
    async with _app_with_keys(settings, new_key) as only_new, _client(only_new) as other:
        assert await undo(other, ids.admin) == {
            "actions": [{"action_type": "provider.update", "action_scope": "workspace1"}],
            "result_code": "SUCCESS",
        }
        assert await _secrets(only_new, "openai") == [KEY_A]


async def test_rotation_rewraps_an_old_key_inside_a_state_sealed_under_the_new_key(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, settings: Settings, secret_key: str
) -> None:
    await create_provider(
        client, coder(ids.admin, session=None), openai_provider("openai", [KEY_A])
    )
    new_key = KeyRing.generate_key()
    both = f"{new_key},{secret_key}"
    async with _app_with_keys(settings, both) as rolling, _client(rolling) as other:
        # The new key already seals the state; the old credential inside is still under the old.
        await _replace_key(other, ids, KEY_C)
    (action,) = await actions(app)
    assert action.before_key_id == KeyRing.from_base64(new_key).primary_key_id

    report = await rotate_secrets(app.state.runtime.engine, KeyRing.from_base64(both))

    assert report.nested_rotated == 1
    async with _app_with_keys(settings, new_key) as only_new, _client(only_new) as other:
        assert (await undo(other, ids.admin))["result_code"] == "SUCCESS"
        assert await _secrets(only_new, "openai") == [KEY_A]
    assert await rotate_secrets(app.state.runtime.engine, KeyRing.from_base64(both)) == (
        RotationReport(already_current=3)
    )


async def test_a_credential_in_a_state_no_key_opens_is_marked_and_the_run_goes_on(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, settings: Settings, secret_key: str
) -> None:
    await create_provider(
        client, coder(ids.admin, session=None), openai_provider("openai", [KEY_A])
    )
    new_key = KeyRing.generate_key()
    async with (
        _app_with_keys(settings, f"{new_key},{secret_key}") as rolling,
        _client(rolling) as other,
    ):
        await _replace_key(other, ids, KEY_C)
    only_new = KeyRing.from_base64(new_key)

    # The old key is gone before the rotation: the credential inside cannot be moved.
    report = await rotate_secrets(app.state.runtime.engine, only_new)

    assert (report.nested_rotated, report.nested_undecryptable) == (0, 1)
    assert report.rotated == 1  # the state, sealed again with its credential marked
    (action,) = await actions(app)
    assert action.before_state is not None
    state = orjson.loads(only_new.decrypt(action.before_state, aad("actions", action.id, "before")))
    ((captured,),) = [p["credentials"] for p in state["providers"].values()]
    assert captured["status"] == "undecryptable"
    assert KEY_A not in captured["status_message"]
    async with _app_with_keys(settings, new_key) as after, _client(after) as other:
        assert (await undo(other, ids.admin))["result_code"] == "SUCCESS"
        _, credentials = await provider_rows(after, "openai")
        assert [c["status"] for c in credentials] == ["undecryptable"]
        assert await _secrets(after, "openai") == [None]
