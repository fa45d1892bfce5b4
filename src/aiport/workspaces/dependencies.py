"""The workspace of a request, for routes that take no workspace id of their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import CurrentPrincipal, get_coder_principal, get_principal
from aiport.auth.principal import Principal
from aiport.db.session import DbSession, unit_of_work
from aiport.runtime import get_runtime
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.service import WorkspaceAccess, WorkspaceService, resolve_workspace

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


async def resolve_workspace_cached(request: Request, principal: Principal) -> WorkspaceAccess:
    """`resolve_workspace` for requests that name no workspace in their path or body, answered
    from the runtime's identity cache when it can be (no query)."""
    header_id = workspace_header(request)
    cache = get_runtime(request).workspace_roles
    key = (principal.user_id, principal.token_workspace_id, header_id)

    async def load() -> tuple[int, str]:
        # Its own unit of work, so the cache can also refresh it in the background.
        async with unit_of_work(get_runtime(request).sessionmaker) as own:
            access = await resolve_workspace(own, principal, header_id=header_id)
        return (access.workspace_id, access.role)

    workspace_id, role = await cache.get_or_load(key, load)
    return WorkspaceAccess(workspace_id=workspace_id, role=role, principal=principal)


async def get_workspace_access(
    request: Request,
    principal: Annotated[Principal, Depends(get_principal)],
) -> WorkspaceAccess:
    return await resolve_workspace_cached(request, principal)


async def get_coder_workspace_access(
    request: Request,
    principal: Annotated[Principal, Depends(get_coder_principal)],
) -> WorkspaceAccess:
    return await resolve_workspace_cached(request, principal)


CurrentWorkspace = Annotated[WorkspaceAccess, Depends(get_workspace_access)]
# For routes that call a provider (see `auth.dependencies.BriefPrincipal`): no transaction held.
BriefWorkspace = CurrentWorkspace
CoderWorkspace = Annotated[WorkspaceAccess, Depends(get_coder_workspace_access)]


async def get_workspace_service(
    session: DbSession, principal: CurrentPrincipal
) -> WorkspaceService:
    return WorkspaceService(session, principal)


WorkspaceServiceDep = Annotated[WorkspaceService, Depends(get_workspace_service)]
