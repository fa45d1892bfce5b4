"""Workspaces, roles and membership (which one a request acts in: `workspaces.access`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.service import record
from aiport.auth.principal import Principal
from aiport.db.tables import Membership, User, Workspace
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

ROLES = ("admin", "member")


async def create_workspace(
    session: AsyncSession, principal: Principal, *, name: str
) -> tuple[Workspace, str]:
    """A new workspace with its creator as admin. Names need not be unique."""
    if principal.token_workspace_id is not None:
        raise BoundTokenCannotCreateWorkspace()
    repository = WorkspaceRepository(session)
    workspace = await repository.add(Workspace(name=name))
    await repository.put_membership(
        Membership(workspace_id=workspace.id, user_id=principal.user_id, role="admin")
    )
    await record(
        session,
        principal,
        action="workspace.create",
        target_type="workspace",
        target_id=str(workspace.id),
        workspace_id=workspace.id,
        diff={"name": name},
    )
    return workspace, "admin"


async def get_workspace(
    session: AsyncSession, workspace_id: int, *, lock: bool = False
) -> Workspace | None:
    """The workspace, whoever asks: for surfaces whose reference tells a missing workspace from
    one the caller is not in (Baserow). Others use `access.resolve_workspace`, which does not.

    `lock` holds the row until commit, so whole-workspace changes run one at a time.
    """
    repository = WorkspaceRepository(session)
    return await (repository.lock(workspace_id) if lock else repository.get(workspace_id))


async def list_workspaces(
    session: AsyncSession, principal: Principal
) -> Sequence[tuple[Workspace, str]]:
    """The caller's workspaces and role in each; a bound token sees only its own workspace."""
    rows = await WorkspaceRepository(session).list_for_user(principal.user_id)
    if principal.token_workspace_id is None:
        return rows
    return [(w, role) for w, role in rows if w.id == principal.token_workspace_id]


async def accessible_workspaces(
    session: AsyncSession, principal: Principal
) -> list[WorkspaceAccess]:
    """Access to each of the caller's workspaces, for surfaces that list across all of them."""
    return [
        WorkspaceAccess(workspace_id=w.id, role=role, principal=principal)
        for w, role in await list_workspaces(session, principal)
    ]


async def list_members(
    session: AsyncSession, access: WorkspaceAccess
) -> Sequence[tuple[Membership, User]]:
    """Every member may see who else is in the workspace; changing it needs an admin."""
    return await WorkspaceRepository(session).list_members(access.workspace_id)


async def put_member(
    session: AsyncSession, access: WorkspaceAccess, user_id: int, role: str
) -> Membership:
    """Add a user to the workspace or change their role; never demote its last admin."""
    access.require_admin()
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}")
    repository = WorkspaceRepository(session)
    await repository.lock(access.workspace_id)
    if await UserRepository(session).get(user_id) is None:
        raise UserNotFound(user_id)
    current = await repository.get_membership(access.workspace_id, user_id)
    previous = current.role if current else None
    if previous == role and current is not None:
        return current
    if previous == "admin" and await repository.count_admins(access.workspace_id) <= 1:
        raise LastWorkspaceAdmin(access.workspace_id, user_id)
    membership = await repository.put_membership(
        Membership(workspace_id=access.workspace_id, user_id=user_id, role=role)
    )
    await record(
        session,
        access.principal,
        action="member.put",
        target_type="membership",
        target_id=f"{access.workspace_id}:{user_id}",
        workspace_id=access.workspace_id,
        diff={"user_id": user_id, "role": role, "previous_role": previous},
    )
    return membership


async def remove_member(session: AsyncSession, access: WorkspaceAccess, user_id: int) -> None:
    """Take a user out of the workspace; never its last admin."""
    access.require_admin()
    repository = WorkspaceRepository(session)
    await repository.lock(access.workspace_id)
    membership = await repository.get_membership(access.workspace_id, user_id)
    if membership is None:
        raise MemberNotFound(access.workspace_id, user_id)
    previous = membership.role
    if previous == "admin" and await repository.count_admins(access.workspace_id) <= 1:
        raise LastWorkspaceAdmin(access.workspace_id, user_id)
    await repository.delete_membership(membership)
    await record(
        session,
        access.principal,
        action="member.delete",
        target_type="membership",
        target_id=f"{access.workspace_id}:{user_id}",
        workspace_id=access.workspace_id,
        diff={"user_id": user_id, "previous_role": previous},
    )
