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


def workspace_header(request: Request) -> int | None:
    raw = request.headers.get(WORKSPACE_HEADER)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise WorkspaceNotFound() from None


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
