"""Callers in every position the native API's authorization rules distinguish."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Membership, User, Workspace
from aiport.db.types import utcnow
from aiport.users.service import create_user, issue_token
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
) -> User:
    email = f"user-{uuid.uuid4().hex[:8]}@example.com"
    return await create_user(
        session, email=email, name=email.split("@")[0], password=password, is_admin=is_admin
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
            "instance_admin": await issue_token(session, instance_admin, name="t"),
            "workspace_admin": await issue_token(session, workspace_admin, name="t"),
            "member": await issue_token(session, member, name="t"),
            "non_member": await issue_token(session, non_member, name="t"),
            "expired_token": await issue_token(
                session, workspace_admin, name="old", expires_at=utcnow() - timedelta(seconds=1)
            ),
            "bound_elsewhere": await issue_token(
                session, workspace_admin, name="b", workspace_id=other.id
            ),
            "bound_here": await issue_token(
                session, workspace_admin, name="b", workspace_id=workspace.id
            ),
        }
        plaintexts = {name: issued.plaintext for name, issued in tokens.items()}
        plaintexts["bad_token"] = "not-a-token-that-exists-anywhere-000"
        headers = {name: bearer(token) for name, token in plaintexts.items()}
        headers["no_token"] = {}
        user_ids = {name: issued.row.user_id for name, issued in tokens.items()}
        return Roles(
            workspace_id=workspace.id,
            other_workspace_id=other.id,
            headers=headers,
            user_ids=user_ids,
            tokens=plaintexts,
        )
