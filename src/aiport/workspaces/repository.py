"""All SQL about workspaces and memberships."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from aiport.changes.hooks import mark
from aiport.changes.kinds import IdentityChanged
from aiport.db.repository import Repository
from aiport.db.tables import Membership, User, Workspace


class WorkspaceRepository(Repository):
    async def get(self, workspace_id: int) -> Workspace | None:
        return await self.session.get(Workspace, workspace_id)

    async def lock(self, workspace_id: int) -> Workspace | None:
        """The workspace row, locked until commit, so membership changes to it run one at a time.

        (SQLite already serialises writers with BEGIN IMMEDIATE; FOR UPDATE is PostgreSQL's.)
        """
        result = await self.session.execute(
            select(Workspace).where(Workspace.id == workspace_id).with_for_update()
        )
        return result.scalar_one_or_none()

    async def get_membership(self, workspace_id: int, user_id: int) -> Membership | None:
        return await self.session.get(Membership, (workspace_id, user_id))

    async def first_membership(self, user_id: int) -> Membership | None:
        result = await self.session.execute(
            select(Membership)
            .where(Membership.user_id == user_id)
            .order_by(Membership.workspace_id)
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def list_for_user(self, user_id: int) -> Sequence[tuple[Workspace, str]]:
        result = await self.session.execute(
            select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == user_id)
            .order_by(Workspace.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def list_members(self, workspace_id: int) -> Sequence[tuple[Membership, User]]:
        result = await self.session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == workspace_id)
            .order_by(User.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def count_admins(self, workspace_id: int) -> int:
        result = await self.session.execute(
            select(func.count()).where(
                Membership.workspace_id == workspace_id, Membership.role == "admin"
            )
        )
        return int(result.scalar_one())

    async def put_membership(self, membership: Membership) -> Membership:
        mark(self.session, IdentityChanged("membership"))
        merged = await self.session.merge(membership)
        await self.session.flush()
        return merged

    async def delete_membership(self, membership: Membership) -> None:
        mark(self.session, IdentityChanged("membership"))
        await self.session.delete(membership)
        await self.session.flush()
