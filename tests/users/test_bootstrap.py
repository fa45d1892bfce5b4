"""The first administrator: created on a store with no admin, and never again."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import authenticate
from aiport.auth.tokens import hash_token
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Membership, Token, User, Workspace
from aiport.users.service import UserService

CONFIGURED = "an-operator-chosen-token-of-40-characters"


async def _bootstrap(app: FastAPI, configured: str = "") -> str | None:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        return await UserService(session).bootstrap(configured)


async def _counts(session: AsyncSession) -> tuple[int, ...]:
    return tuple(
        [
            int((await session.execute(select(func.count()).select_from(table))).scalar_one())
            for table in (User, Token, Workspace, Membership)
        ]
    )


async def test_first_start_creates_the_admin_and_workspace_1(
    app: FastAPI, session: AsyncSession
) -> None:
    generated = await _bootstrap(app)
    assert generated is not None
    principal = await authenticate(session, generated)
    admin = await session.get(User, principal.user_id)
    assert admin is not None
    assert (admin.email, admin.is_admin, admin.password_hash) == ("admin@localhost", True, None)
    workspace = await session.get(Workspace, 1)
    assert workspace is not None
    assert workspace.name == "Default"
    membership = await session.get(Membership, (1, admin.id))
    assert membership is not None
    assert membership.role == "admin"


async def test_the_configured_bootstrap_token_is_taken_as_given(
    app: FastAPI, session: AsyncSession
) -> None:
    assert await _bootstrap(app, CONFIGURED) is None
    token = (await session.scalars(select(Token))).one()
    assert token.token_hash == hash_token(CONFIGURED)
    assert token.workspace_id is None
    assert token.expires_at is None


async def test_a_second_start_creates_nothing(app: FastAPI, session: AsyncSession) -> None:
    await _bootstrap(app)
    async with make_sessionmaker(app.state.runtime.engine)() as check:
        before = await _counts(check)
    assert await _bootstrap(app) is None
    assert await _bootstrap(app, CONFIGURED) is None
    assert await _counts(session) == before == (1, 1, 1, 1)
