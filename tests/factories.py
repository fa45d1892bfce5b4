"""One factory per thing the tests arrange: users, tokens, workspaces, memberships, providers
and registered models. Through the services or the API, the way the app itself would; rows are
written by hand only where a state cannot be reached otherwise (a key lost from the ring).

Session factories (`add_*`) work inside the caller's transaction; app factories (`make_*`,
`store_*`) open and commit their own; API factories (`create_*`, `register_*`) take an httpx
client and the caller's headers, and assert the API said yes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.passwords import hash_password
from aiport.auth.principal import Principal
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, Membership, Provider, User, Workspace
from aiport.db.types import utcnow
from aiport.providers.schemas import BedrockSettings, ProviderCreate
from aiport.providers.service import ProviderService
from aiport.users.schemas import TokenIssued, UserCreate, UserRead
from aiport.users.service import UserService
from aiport.vault import KeyRing, aad, fingerprint, mask
from aiport.workspaces.access import WorkspaceAccess
from aiport.workspaces.repository import WorkspaceRepository

CODER_PROVIDERS = "/api/v2/ai/providers"
XAGENT_MODELS = "/api/models"
OPENAI_BASE_URL = "https://api.openai.com/v1"
TEST_PASSWORD = "correct horse"


def unique_name(prefix: str = "p") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Caller:
    user_id: int
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Identities:
    """Workspace 1's admin (also instance admin), a member of it, and a user outside it."""

    admin: Caller
    member: Caller
    outsider: Caller
    workspace_id: int
    # A workspace of the outsider's own, which admin and member are not in.
    other_workspace_id: int


@cache
def _test_password_hash() -> str:
    # argon2 is slow on purpose (~0.1-0.4 s here); hash once per run, verify for real on login.
    return hash_password(TEST_PASSWORD)


# Users, tokens, workspaces and memberships, inside the caller's transaction.


async def add_user(
    session: AsyncSession,
    *,
    email: str | None = None,
    name: str | None = None,
    password: str | None = None,
    is_admin: bool = False,
) -> UserRead:
    """A user with a fresh address; named after the address's local part unless told."""
    email = email or f"{unique_name('user')}@example.com"
    new = UserCreate(
        email=email, name=name or email.split("@")[0], password=password, is_admin=is_admin
    )
    return await UserService(session).create_user(new)


async def add_token(
    session: AsyncSession,
    user: UserRead,
    *,
    name: str = "test",
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
) -> TokenIssued:
    """A token as the operator makes one: no caller's rules, and any expiry (even a past one)."""
    return await UserService(session).create_token(
        name, workspace_id=workspace_id, expires_at=expires_at, user_id=user.id
    )


async def add_workspace(session: AsyncSession, name: str) -> Workspace:
    return await WorkspaceRepository(session).add(Workspace(name=name))


async def add_membership(session: AsyncSession, workspace_id: int, user_id: int, role: str) -> None:
    await WorkspaceRepository(session).put_membership(
        Membership(workspace_id=workspace_id, user_id=user_id, role=role)
    )


# Callers, each in its own committed transaction.


async def make_user(
    app: FastAPI, *, role: str | None, workspace_id: int = 1, is_admin: bool = False
) -> Caller:
    """A user whose password is TEST_PASSWORD, with a token, optionally in a workspace."""
    email = f"{unique_name('user')}@example.com"
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        user = await add_user(session, email=email, name=email, is_admin=is_admin)
        row = await session.get(User, user.id)
        assert row is not None
        row.password_hash = _test_password_hash()
        if role is not None:
            await add_membership(session, workspace_id, user.id, role)
        issued = await add_token(session, user)
        return Caller(user_id=user.id, email=email, token=issued.token)


async def make_identities(app: FastAPI) -> Identities:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        admin_token = await UserService(session).bootstrap("")
        assert admin_token is not None
    member = await make_user(app, role="member")
    outsider = await make_user(app, role=None)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        other = await add_workspace(session, "Outsider's")
        await add_membership(session, other.id, outsider.user_id, "admin")
        other_id = other.id
    return Identities(
        admin=Caller(user_id=1, email="admin@localhost", token=admin_token),
        member=member,
        outsider=outsider,
        workspace_id=1,
        other_workspace_id=other_id,
    )


# Providers.


def provider_body(
    name: str | None = None,
    *,
    type: str = "openai",
    base_url: str = OPENAI_BASE_URL,
    keys: Sequence[str] = (),
    enabled: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """A provider in Coder's wire shape, enabled and holding `keys`, as an admin makes one."""
    return {
        "type": type,
        "name": name or unique_name(),
        "base_url": base_url,
        "enabled": enabled,
        "api_keys": list(keys),
    } | fields


async def post_provider(
    client: httpx.AsyncClient, headers: Mapping[str, str], body: Mapping[str, Any]
) -> httpx.Response:
    """A new provider through Coder's API, whatever the answer."""
    return await client.post(CODER_PROVIDERS, headers=dict(headers), json=dict(body))


async def create_provider(
    client: httpx.AsyncClient, headers: Mapping[str, str], body: Mapping[str, Any]
) -> dict[str, Any]:
    """A new provider through Coder's API, which must accept it; its answer."""
    response = await post_provider(client, headers, body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def create_bedrock_provider(
    app: FastAPI, *, name: str, base_url: str, access_key: str, secret_key: str
) -> None:
    """Through the providers service (Coder's surface takes Bedrock keys inside `settings`)."""
    principal = Principal(
        user_id=1, email="admin@localhost", is_admin=True, token_id=0, token_workspace_id=None
    )
    access = WorkspaceAccess(workspace_id=1, role="admin", principal=principal)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await ProviderService(session, app.state.runtime.keyring, access).create(
            ProviderCreate(
                type="bedrock",
                name=name,
                base_url=base_url,
                enabled=True,
                bedrock=BedrockSettings(region="us-east-1"),
                aws_access_key=SecretStr(access_key),
                aws_access_key_secret=SecretStr(secret_key),
            )
        )


async def store_provider(
    app: FastAPI,
    name: str,
    provider_type: str,
    base_url: str,
    *,
    secrets: Sequence[tuple[str, str]] = (),
    settings: dict[str, Any] | None = None,
    workspace_id: int = 1,
    enabled: bool = True,
    undecryptable: Sequence[tuple[str, str]] = (),
) -> uuid.UUID:
    """A provider row stored the way the providers domain stores it; `secrets` are
    `(kind, plaintext)`. `undecryptable` secrets are sealed by a key the app's ring does not
    hold, a state no API call can make."""
    ring: KeyRing = app.state.runtime.keyring
    lost = KeyRing.from_base64(KeyRing.generate_key())
    now = utcnow()
    provider = Provider(
        workspace_id=workspace_id,
        name=name,
        display_name=name,
        type=provider_type,
        base_url=base_url,
        enabled=enabled,
        settings=settings,
        models=[],
        created_at=now,
        updated_at=now,
    )
    sealed = [(ring, s) for s in secrets] + [(lost, s) for s in undecryptable]
    for position, (sealer, (kind, plaintext)) in enumerate(sealed):
        credential_id = uuid.uuid4()
        shown = plaintext if kind == "api_key" else plaintext[:24]
        provider.credentials.append(
            Credential(
                id=credential_id,
                kind=kind,
                ciphertext=sealer.encrypt(plaintext, aad("credentials", credential_id, "secret")),
                key_id=sealer.primary_key_id,
                mask=mask(shown),
                fingerprint=fingerprint(plaintext),
                position=position,
                created_at=now,
                updated_at=now,
            )
        )
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        session.add(provider)
    return provider.id


# Registered models.


def unique_model_id(prefix: str = "model") -> str:
    return unique_name(prefix)


def model_body(**fields: Any) -> dict[str, Any]:
    """Xagent's register body for an OpenAI chat model with its own key, unless overridden."""
    body: dict[str, Any] = {
        "model_id": unique_model_id(),
        "model_provider": "openai",
        "model_name": "gpt-4o",
        "api_key": "sk-test-registered-key-0123456789",
    }
    body.update(fields)
    return body


async def register_model(
    client: httpx.AsyncClient, headers: Mapping[str, str], **fields: Any
) -> dict[str, Any]:
    """A model registered through Xagent's API, which must accept it; its answer."""
    response = await client.post(
        f"{XAGENT_MODELS}/register", json=model_body(**fields), headers=dict(headers)
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


async def set_default_model(
    client: httpx.AsyncClient,
    headers: Mapping[str, str],
    model_pk: int,
    config_type: str = "general",
) -> None:
    """The caller's default model for `config_type`, through Xagent's API."""
    response = await client.post(
        f"{XAGENT_MODELS}/user-default",
        json={"model_id": model_pk, "config_type": config_type},
        headers=dict(headers),
    )
    assert response.status_code == 200, response.text
