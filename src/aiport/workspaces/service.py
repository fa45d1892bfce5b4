"""Workspaces, roles and membership (which one a request acts in: `workspaces.access`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.service import AuditService
from aiport.auth.principal import Principal
from aiport.db.tables import Membership, Workspace
from aiport.errors import ValidationFailed
from aiport.users.errors import UserNotFound
from aiport.users.repository import UserRepository
from aiport.workspaces.access import WorkspaceAccess
from aiport.workspaces.errors import (
    BoundTokenCannotCreateWorkspace,
    LastWorkspaceAdmin,
    MemberNotFound,
)
from aiport.workspaces.repository import WorkspaceRepository
from aiport.workspaces.schemas import (
    ROLES,
    MemberRead,
    MembershipRead,
    WorkspaceRead,
    WorkspaceSummary,
)


class WorkspaceService:
    """Workspaces and their members, as `principal` may see and change them.

    Member methods take the caller's access to the workspace they change (`access.management_access`
    or `access.resolve_workspace`), which holds the role they act with there.
    """

    def __init__(self, session: AsyncSession, principal: Principal):
        self.principal = principal
        self.workspaces = WorkspaceRepository(session)
        self.users = UserRepository(session)
        self.audit = AuditService(session, principal)

    async def create(self, name: str) -> WorkspaceRead:
        """A new workspace with its creator as admin. Names need not be unique."""
        if self.principal.token_workspace_id is not None:
            raise BoundTokenCannotCreateWorkspace()
        workspace = await self.workspaces.add(Workspace(name=name))
        await self.workspaces.put_membership(
            Membership(workspace_id=workspace.id, user_id=self.principal.user_id, role="admin")
        )
        await self.audit.record(
            "workspace.create",
            "workspace",
            str(workspace.id),
            workspace_id=workspace.id,
            diff={"name": name},
        )
        return _read(workspace, "admin")

    async def get(self, workspace_id: int, *, lock: bool = False) -> WorkspaceSummary | None:
        """The workspace, whoever asks: for surfaces whose reference tells a missing workspace
        from one the caller is not in (Baserow). Others use `access.resolve_workspace`, which does not.

        `lock` holds the row until commit, so whole-workspace changes run one at a time.
        """
        repository = self.workspaces
        workspace = await (repository.lock(workspace_id) if lock else repository.get(workspace_id))
        return None if workspace is None else WorkspaceSummary(id=workspace.id, name=workspace.name)

    async def list_workspaces(self) -> list[WorkspaceRead]:
        """The caller's workspaces and role in each; a bound token sees only its own workspace."""
        bound = self.principal.token_workspace_id
        return [
            _read(w, role)
            for w, role in await self.workspaces.list_for_user(self.principal.user_id)
            if bound is None or w.id == bound
        ]

    async def accessible_workspaces(self) -> list[WorkspaceAccess]:
        """Access to each of the caller's workspaces, for surfaces that list across all of them."""
        return [
            WorkspaceAccess(workspace_id=w.id, role=w.role, principal=self.principal)
            for w in await self.list_workspaces()
        ]

    async def list_members(self, access: WorkspaceAccess) -> list[MemberRead]:
        """Every member may see who else is in the workspace; changing it needs an admin."""
        return [
            MemberRead(
                workspace_id=m.workspace_id,
                user_id=m.user_id,
                role=m.role,
                email=u.email,
                name=u.name,
                created_at=m.created_at,
            )
            for m, u in await self.workspaces.list_members(access.workspace_id)
        ]

    async def put_member(self, access: WorkspaceAccess, user_id: int, role: str) -> MembershipRead:
        """Add a user to the workspace or change their role; never demote its last admin."""
        access.require_admin()
        if role not in ROLES:
            raise ValidationFailed(f"role must be one of {', '.join(ROLES)}")
        await self.workspaces.lock(access.workspace_id)
        if await self.users.get(user_id) is None:
            raise UserNotFound(user_id)
        current = await self.workspaces.get_membership(access.workspace_id, user_id)
        previous = current.role if current else None
        if previous == role and current is not None:
            return MembershipRead.model_validate(current)
        await self._keep_an_admin(access, user_id, previous)
        membership = await self.workspaces.put_membership(
            Membership(workspace_id=access.workspace_id, user_id=user_id, role=role)
        )
        diff = {"user_id": user_id, "role": role, "previous_role": previous}
        await self._record_member(access, "member.put", user_id, diff)
        return MembershipRead.model_validate(membership)

    async def remove_member(self, access: WorkspaceAccess, user_id: int) -> None:
        """Take a user out of the workspace; never its last admin."""
        access.require_admin()
        await self.workspaces.lock(access.workspace_id)
        membership = await self.workspaces.get_membership(access.workspace_id, user_id)
        if membership is None:
            raise MemberNotFound(access.workspace_id, user_id)
        previous = membership.role
        await self._keep_an_admin(access, user_id, previous)
        await self.workspaces.delete_membership(membership)
        diff = {"user_id": user_id, "previous_role": previous}
        await self._record_member(access, "member.delete", user_id, diff)

    async def _keep_an_admin(
        self, access: WorkspaceAccess, user_id: int, previous: str | None
    ) -> None:
        if previous == "admin" and await self.workspaces.count_admins(access.workspace_id) <= 1:
            raise LastWorkspaceAdmin(access.workspace_id, user_id)

    async def _record_member(
        self, access: WorkspaceAccess, action: str, user_id: int, diff: dict[str, Any]
    ) -> None:
        target = f"{access.workspace_id}:{user_id}"
        await self.audit.record(
            action, "membership", target, workspace_id=access.workspace_id, diff=diff
        )


def _read(workspace: Workspace, role: str) -> WorkspaceRead:
    return WorkspaceRead(
        id=workspace.id,
        name=workspace.name,
        role=role,
        created_at=workspace.created_at,
        updated_at=workspace.updated_at,
    )
