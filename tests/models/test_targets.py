"""`resolve_for_gateway`: from a registered `model_id` to what the gateway calls, and the
model's own key bound to its credential row."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from aiport.credentials.rotation import rotate_secrets
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, Model, Provider
from aiport.models.service import resolve_for_gateway
from aiport.vault import KeyRing, UndecryptableSecret, aad
from tests.factories import Identities, register_model

KEY = "sk-gateway-key-0123456789abcdef"


async def _resolve(app: FastAPI, model_id: str, user_id: int | None = None) -> object:
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        return await resolve_for_gateway(
            session, app.state.runtime.keyring, 1, model_id, user_id=user_id
        )


async def test_a_model_with_its_own_key_resolves_to_it(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers, model_provider="claude", api_key=KEY)
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        target = await resolve_for_gateway(
            session, app.state.runtime.keyring, 1, created["model_id"]
        )
    assert target is not None
    assert (target.provider_type, target.base_url, target.model_name) == (
        "anthropic",
        "https://api.anthropic.com",
        "gpt-4o",
    )
    assert [k.plaintext for k in target.keys] == [KEY]
    assert KEY not in repr(target)
    assert target.provider_id is None


async def test_a_model_resolves_only_for_users_who_may_see_it(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    private = await register_model(client, ids.member.headers, api_key=KEY)
    assert await _resolve(app, private["model_id"], ids.member.user_id) is not None
    assert await _resolve(app, private["model_id"], ids.admin.user_id) is None
    shared = await register_model(client, ids.admin.headers, share_with_users=True, api_key=KEY)
    assert await _resolve(app, shared["model_id"], ids.member.user_id) is not None
    assert await _resolve(app, "no-such-model") is None


async def test_an_inactive_model_does_not_resolve(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers, api_key=KEY)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await session.execute(
            update(Model).where(Model.id == created["id"]).values(is_active=False)
        )
    assert await _resolve(app, created["model_id"]) is None


async def test_a_model_on_a_deleted_provider_reports_why(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        provider = Provider(
            workspace_id=1, name="gone", type="openai", base_url="https://x/v1", enabled=True
        )
        session.add(provider)
    created = await register_model(client, ids.member.headers, aiport_provider="gone", api_key=None)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await session.execute(
            update(Provider).where(Provider.name == "gone").values(deleted_at=Provider.created_at)
        )
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        target = await resolve_for_gateway(
            session, app.state.runtime.keyring, 1, created["model_id"]
        )
    assert target is not None
    assert target.problem == "the provider this model draws its keys from was deleted"


async def test_the_key_is_bound_to_its_credential_row(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers, api_key=KEY)
    keyring = app.state.runtime.keyring
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        credential = (
            await session.execute(select(Credential).where(Credential.model_id == created["id"]))
        ).scalar_one()
    assert credential.provider_id is None
    assert KEY not in credential.ciphertext
    assert (
        keyring.decrypt(credential.ciphertext, aad("credentials", credential.id, "secret")) == KEY
    )
    with pytest.raises(UndecryptableSecret):
        keyring.decrypt(credential.ciphertext, aad("credentials", uuid.uuid4(), "secret"))


async def test_key_rotation_rewraps_a_models_own_key(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities, secret_key: str
) -> None:
    created = await register_model(client, ids.member.headers, api_key=KEY)
    new_key = KeyRing.generate_key()
    report = await rotate_secrets(
        app.state.runtime.engine, KeyRing.from_base64(f"{new_key},{secret_key}")
    )
    assert report.rotated >= 1
    async with make_sessionmaker(app.state.runtime.engine)() as session:
        target = await resolve_for_gateway(
            session, KeyRing.from_base64(new_key), 1, created["model_id"]
        )
    assert target is not None
    assert [k.plaintext for k in target.keys] == [KEY]
