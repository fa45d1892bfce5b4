"""Coder's dependencies: the caller and workspace settled with Coder's token places."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import get_coder_principal
from aiport.db.session import DbSession
from aiport.providers.dependencies import provider_service
from aiport.providers.reading import ProviderLists
from aiport.providers.service import ProviderService
from aiport.runtime import get_runtime
from aiport.surfaces.coder.cache import CoderRenderings, get_coder_renderings
from aiport.workspaces.dependencies import resolve_workspace_cached


async def get_coder_provider_service(request: Request, session: DbSession) -> ProviderService:
    # The caller and workspace are settled by plain calls rather than nested dependencies:
    # `CurrentWorkspace`'s rules with Coder's token places, without FastAPI solving three levels
    # per request (the provider list is the hottest management read).
    principal = await get_coder_principal(request)
    access = await resolve_workspace_cached(request, principal)
    return provider_service(request, session, access)


async def get_coder_provider_lists(request: Request) -> ProviderLists:
    """For Coder's list: no request session at all when the list is cached."""
    runtime = get_runtime(request)
    runtime.changes.check_counter()
    access = await resolve_workspace_cached(request, await get_coder_principal(request))
    return ProviderLists(runtime.sessionmaker, runtime.keyring, access, runtime.provider_views)


# The request's workspace, authenticated as Coder does (cookie, query parameters, then headers).
CoderProviderService = Annotated[ProviderService, Depends(get_coder_provider_service)]
# Cached reads of the provider list, authenticated as Coder does.
CoderProviderLists = Annotated[ProviderLists, Depends(get_coder_provider_lists)]
# Coder's rendered provider lists, kept between changes.
CurrentRenderings = Annotated[CoderRenderings, Depends(get_coder_renderings)]
