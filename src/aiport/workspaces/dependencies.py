"""The workspace of a request, for routes that take no workspace id of their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import CurrentPrincipal, get_principal
from aiport.auth.principal import Principal
from aiport.db.session import DbSession, unit_of_work
from aiport.runtime import get_runtime
from aiport.workspaces.access import (
    WORKSPACE_HEADER,
    WorkspaceAccess,
    select_workspace,
    workspace_header,
)
from aiport.workspaces.service import WorkspaceService


async def resolve_workspace_cached(request: Request, principal: Principal) -> WorkspaceAccess:
    """The workspace of requests that name no workspace in their path or body, answered
    from the runtime's identity cache when it can be (no query)."""
    header_id = workspace_header(request.headers.get(WORKSPACE_HEADER))
    cache = get_runtime(request).workspace_roles
    key = (principal.user_id, principal.token_workspace_id, header_id)

    async def load() -> tuple[int, str]:
        # Its own unit of work, so the cache can also refresh it in the background.
        async with unit_of_work(get_runtime(request).sessionmaker) as own:
            return await select_workspace(
                own, principal.user_id, principal.token_workspace_id, header_id=header_id
            )

    workspace_id, role = await cache.get(key, lambda _key: load())
    return WorkspaceAccess(workspace_id=workspace_id, role=role, principal=principal)


async def get_workspace_access(
    request: Request,
    principal: Annotated[Principal, Depends(get_principal)],
) -> WorkspaceAccess:
    return await resolve_workspace_cached(request, principal)


# Like `CurrentPrincipal`, settled without the request's transaction: routes that call a
# provider take it too.
CurrentWorkspace = Annotated[WorkspaceAccess, Depends(get_workspace_access)]


async def get_workspace_service(
    session: DbSession, principal: CurrentPrincipal
) -> WorkspaceService:
    return WorkspaceService(session, principal)


WorkspaceServiceDep = Annotated[WorkspaceService, Depends(get_workspace_service)]
