"""Path parameters and access checks shared by the native routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.db.types import MAX_ID
from aiport.workspaces.access import WorkspaceAccess, management_access

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def get_managed_workspace(
    workspace_id: PathId, session: DbSession, principal: CurrentPrincipal
) -> WorkspaceAccess:
    return await management_access(session, principal, workspace_id)


async def get_managed_workspace_admin(
    access: Annotated[WorkspaceAccess, Depends(get_managed_workspace)],
) -> WorkspaceAccess:
    access.require_admin()
    return access


# The workspace named in the path, as its members (and instance admins) see it.
ManagedWorkspace = Annotated[WorkspaceAccess, Depends(get_managed_workspace)]
ManagedWorkspaceAdmin = Annotated[WorkspaceAccess, Depends(get_managed_workspace_admin)]
