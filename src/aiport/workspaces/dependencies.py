"""The workspace of a request, for routes that take no workspace id of their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import get_coder_principal, get_principal
from aiport.auth.principal import Principal
from aiport.db.session import DbSession
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.service import WorkspaceAccess, resolve_workspace

WORKSPACE_HEADER = "aiport-workspace"
MAX_WORKSPACE_ID = 2_147_483_647


def workspace_header(request: Request) -> int | None:
    raw = request.headers.get(WORKSPACE_HEADER)
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise WorkspaceNotFound() from None
    # Ids are 32-bit on every dialect: a larger number would be a database error, not a 404.
    if not 1 <= value <= MAX_WORKSPACE_ID:
        raise WorkspaceNotFound()
    return value


async def get_workspace_access(
    request: Request,
    session: DbSession,
    principal: Annotated[Principal, Depends(get_principal)],
) -> WorkspaceAccess:
    return await resolve_workspace(session, principal, header_id=workspace_header(request))


async def get_coder_workspace_access(
    request: Request,
    session: DbSession,
    principal: Annotated[Principal, Depends(get_coder_principal)],
) -> WorkspaceAccess:
    return await resolve_workspace(session, principal, header_id=workspace_header(request))


CurrentWorkspace = Annotated[WorkspaceAccess, Depends(get_workspace_access)]
CoderWorkspace = Annotated[WorkspaceAccess, Depends(get_coder_workspace_access)]
