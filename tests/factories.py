"""Arranging identities and data through the services, the way the app itself would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache

from fastapi import FastAPI

from aiport.auth.passwords import hash_password
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Membership, User, Workspace
from aiport.users.schemas import UserCreate
from aiport.users.service import UserService
from aiport.workspaces.repository import WorkspaceRepository


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


TEST_PASSWORD = "correct horse"


@cache
def _test_password_hash() -> str:
    # argon2 is slow on purpose (~0.1-0.4 s here); hash once per run, verify for real on login.
    return hash_password(TEST_PASSWORD)


async def make_user(
    app: FastAPI, *, role: str | None, workspace_id: int = 1, is_admin: bool = False
) -> Caller:
    """A user whose password is TEST_PASSWORD, with a token, optionally in a workspace."""
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        users = UserService(session)
        user = await users.create_user(UserCreate(email=email, name=email, is_admin=is_admin))
        row = await session.get(User, user.id)
        assert row is not None
        row.password_hash = _test_password_hash()
        if role is not None:
            await WorkspaceRepository(session).put_membership(
                Membership(workspace_id=workspace_id, user_id=user.id, role=role)
            )
        issued = await users.create_token("test", user_id=user.id)
        return Caller(user_id=user.id, email=email, token=issued.token)


async def make_identities(app: FastAPI) -> Identities:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        admin_token = await UserService(session).bootstrap("")
        assert admin_token is not None
    member = await make_user(app, role="member")
    outsider = await make_user(app, role=None)
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        repository = WorkspaceRepository(session)
        other = await repository.add(Workspace(name="Outsider's"))
        await repository.put_membership(
            Membership(workspace_id=other.id, user_id=outsider.user_id, role="admin")
        )
        other_id = other.id
    return Identities(
        admin=Caller(user_id=1, email="admin@localhost", token=admin_token),
        member=member,
        outsider=outsider,
        workspace_id=1,
        other_workspace_id=other_id,
    )
