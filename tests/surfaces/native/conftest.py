"""Native fixtures: callers in every position the authorization rules distinguish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI

from aiport.db.engine import make_sessionmaker
from aiport.db.types import utcnow
from tests.factories import add_membership, add_token, add_user, add_workspace
from tests.surfaces.native.support import Roles, bearer


@pytest.fixture
async def roles(app: FastAPI) -> Roles:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        workspace = await add_workspace(session, "Team")
        other = await add_workspace(session, "Elsewhere")
        instance_admin = await add_user(session, is_admin=True)
        workspace_admin = await add_user(session)
        member = await add_user(session)
        non_member = await add_user(session)
        await add_membership(session, workspace.id, workspace_admin.id, "admin")
        await add_membership(session, other.id, workspace_admin.id, "admin")
        await add_membership(session, workspace.id, member.id, "member")
        await add_membership(session, other.id, non_member.id, "admin")
        tokens = {
            "instance_admin": await add_token(session, instance_admin, name="t"),
            "workspace_admin": await add_token(session, workspace_admin, name="t"),
            "member": await add_token(session, member, name="t"),
            "non_member": await add_token(session, non_member, name="t"),
            "expired_token": await add_token(
                session, workspace_admin, name="old", expires_at=utcnow() - timedelta(seconds=1)
            ),
            "bound_elsewhere": await add_token(
                session, workspace_admin, name="b", workspace_id=other.id
            ),
            "bound_here": await add_token(
                session, workspace_admin, name="b", workspace_id=workspace.id
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
