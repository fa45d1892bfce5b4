"""The `ProviderService` of a request, for the surfaces' own dependencies to build on."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.providers.service import ProviderService
from aiport.runtime import get_runtime
from aiport.workspaces.access import WorkspaceAccess


def provider_service(
    request: Request, session: AsyncSession, access: WorkspaceAccess
) -> ProviderService:
    """For routes that resolve the workspace themselves (e.g. from the path)."""
    runtime = get_runtime(request)
    runtime.changes.check_counter()
    return ProviderService(session, runtime.keyring, access, views=runtime.provider_views)
