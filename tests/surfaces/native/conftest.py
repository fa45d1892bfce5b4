"""Callers in every position the native API's authorization rules distinguish."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Membership, Workspace
from aiport.db.types import utcnow
from aiport.users.schemas import TokenIssued, UserCreate, UserRead
from aiport.users.service import UserService
from aiport.workspaces.repository import WorkspaceRepository

# Who calls, in the order the matrix tests list them.
CALLERS = (
    "instance_admin",  # is_admin, not a member of the workspace under test
    "workspace_admin",  # admin of the workspace, not an instance admin
    "member",
    "non_member",
    "no_token",
    "bad_token",
    "expired_token",  # the workspace admin's, expired
    "bound_elsewhere",  # the workspace admin's, bound to another workspace they are in
    "bound_here",  # the workspace admin's, bound to the workspace under test
)


@dataclass
class Roles:
    workspace_id: int
    other_workspace_id: int
    headers: dict[str, dict[str, str]]
    # The user behind each caller that has one.
    user_ids: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def add_user(
    session: AsyncSession, *, is_admin: bool = False, password: str | None = None
) -> UserRead:
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    new = UserCreate(email=email, name=email.split("@")[0], password=password, is_admin=is_admin)
    return await UserService(session).create_user(new)


async def issue_token(
    session: AsyncSession,
    owner: UserRead,
    name: str,
    *,
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
) -> TokenIssued:
    """A token as the operator makes one: no caller's rules, and any expiry (even past)."""
    return await UserService(session).create_token(
        name, workspace_id=workspace_id, expires_at=expires_at, user_id=owner.id
    )


async def add_member(session: AsyncSession, workspace_id: int, user_id: int, role: str) -> None:
    await WorkspaceRepository(session).put_membership(
        Membership(workspace_id=workspace_id, user_id=user_id, role=role)
    )


@pytest.fixture
async def roles(app: FastAPI) -> Roles:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        workspaces = WorkspaceRepository(session)
        workspace = await workspaces.add(Workspace(name="Team"))
        other = await workspaces.add(Workspace(name="Elsewhere"))
        instance_admin = await add_user(session, is_admin=True)
        workspace_admin = await add_user(session)
        member = await add_user(session)
        non_member = await add_user(session)
        await add_member(session, workspace.id, workspace_admin.id, "admin")
        await add_member(session, other.id, workspace_admin.id, "admin")
        await add_member(session, workspace.id, member.id, "member")
        await add_member(session, other.id, non_member.id, "admin")
        tokens = {
            "instance_admin": await issue_token(session, instance_admin, "t"),
            "workspace_admin": await issue_token(session, workspace_admin, "t"),
            "member": await issue_token(session, member, "t"),
            "non_member": await issue_token(session, non_member, "t"),
            "expired_token": await issue_token(
                session, workspace_admin, "old", expires_at=utcnow() - timedelta(seconds=1)
            ),
            "bound_elsewhere": await issue_token(
                session, workspace_admin, "b", workspace_id=other.id
            ),
            "bound_here": await issue_token(
                session, workspace_admin, "b", workspace_id=workspace.id
            ),
        }
        plaintexts = {name: issued.token for name, issued in tokens.items()}
        plaintexts["bad_token"] = "not-a-token-that-exists-anywhere-000"
        headers = {name: bearer(token) for name, token in plaintexts.items()}
        headers["no_token"] = {}
        user_ids = {name: issued.user_id for name, issued in tokens.items()}
        return Roles(
            workspace_id=workspace.id,
            other_workspace_id=other.id,
            headers=headers,
            user_ids=user_ids,
            tokens=plaintexts,
        )
