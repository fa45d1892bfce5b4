"""Workspace selection and roles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import Principal
from aiport.workspaces.errors import NotWorkspaceAdmin, WorkspaceNotFound
from aiport.workspaces.repository import WorkspaceRepository

ROLES = ("admin", "member")


@dataclass(frozen=True)
class WorkspaceAccess:
    """The workspace a request acts in, and the caller's role there."""

    workspace_id: int
    role: str
    principal: Principal

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_admin(self) -> None:
        if not self.is_admin:
            raise NotWorkspaceAdmin()


async def resolve_workspace(
    session: AsyncSession,
    principal: Principal,
    *,
    requested_id: int | None = None,
    header_id: int | None = None,
) -> WorkspaceAccess:
    """Pick the workspace: path/body/query, else `AIPort-Workspace`, else the token's, else the first.

    A workspace the caller is not in, or one outside the token's binding, is "not found".
    """
    repository = WorkspaceRepository(session)
    chosen = requested_id if requested_id is not None else header_id
    if chosen is None:
        chosen = principal.token_workspace_id
    if chosen is None:
        first = await repository.first_membership(principal.user_id)
        if first is None:
            raise WorkspaceNotFound()
        chosen = first.workspace_id
    if principal.token_workspace_id is not None and chosen != principal.token_workspace_id:
        raise WorkspaceNotFound(chosen)
    membership = await repository.get_membership(chosen, principal.user_id)
    if membership is None:
        raise WorkspaceNotFound(chosen)
    return WorkspaceAccess(workspace_id=chosen, role=membership.role, principal=principal)
