"""`Annotated` aliases that hand routes a `ProviderService` for the request's workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.session import DbSession
from aiport.providers.service import ProviderService
from aiport.runtime import get_runtime
from aiport.workspaces.dependencies import CoderWorkspace, CurrentWorkspace
from aiport.workspaces.service import WorkspaceAccess


def provider_service(
    request: Request, session: AsyncSession, access: WorkspaceAccess
) -> ProviderService:
    """For routes that resolve the workspace themselves (e.g. from the path)."""
    return ProviderService(session, get_runtime(request).keyring, access)


async def get_current_provider_service(
    request: Request, session: DbSession, access: CurrentWorkspace
) -> ProviderService:
    return provider_service(request, session, access)


async def get_coder_provider_service(
    request: Request, session: DbSession, access: CoderWorkspace
) -> ProviderService:
    return provider_service(request, session, access)


# The workspace from the AIPort-Workspace header, the token's binding or the user's first one.
CurrentProviderService = Annotated[ProviderService, Depends(get_current_provider_service)]
# The same, authenticated as Coder does (cookie, query parameters, then headers).
CoderProviderService = Annotated[ProviderService, Depends(get_coder_provider_service)]
