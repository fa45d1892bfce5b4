"""How Flashback names what a request acts on: a workspace by `workspaceId` (text), a
configuration by its id alone (the provider's UUID), or everything the caller can access."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.dependencies import CurrentPrincipal, get_principal
from aiport.auth.principal import Principal
from aiport.db.session import DbSession, unit_of_work
from aiport.providers.access import access_to_provider
from aiport.providers.dependencies import provider_service
from aiport.providers.errors import ProviderNotFound
from aiport.providers.schemas import ProviderRead
from aiport.providers.service import ProviderService
from aiport.runtime import get_runtime
from aiport.surfaces.flashback.schemas import newest_first
from aiport.workspaces.access import resolve_workspace, workspace_id_of
from aiport.workspaces.service import WorkspaceService


def config_id_of(raw: str) -> uuid.UUID:
    """A configuration id is a provider UUID; anything else is an unknown configuration."""
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ProviderNotFound() from None


async def workspace_service(
    request: Request, session: AsyncSession, principal: Principal, workspace_id: str | int
) -> ProviderService:
    """The providers of the workspace a body names (create). Flashback ids are strings: one that
    names no workspace the caller can access is Flashback's 403 (`WorkspaceNotFound`)."""
    access = await resolve_workspace(session, principal, requested_id=workspace_id_of(workspace_id))
    return provider_service(request, session, access)


@dataclass(frozen=True)
class Configs:
    """The configurations a read covers: one workspace, every accessible one, or one config."""

    services: Sequence[ProviderService]
    only: uuid.UUID | None = None

    async def read(self) -> list[ProviderRead]:
        if self.only is not None:
            return [await self.services[0].get(self.only)]
        return newest_first([p for s in self.services for p in await s.list_providers()])


async def _everywhere(request: Request, session: AsyncSession, principal: Principal) -> Configs:
    return Configs(
        [
            provider_service(request, session, access)
            for access in await WorkspaceService(session, principal).accessible_workspaces()
        ]
    )


async def get_listed(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    workspace_id: Annotated[
        str | None, Query(alias="workspaceId", description="only this workspace's configurations")
    ] = None,
) -> Configs:
    if workspace_id is None or workspace_id.strip() == "":
        return await _everywhere(request, session, principal)
    return Configs([await workspace_service(request, session, principal, workspace_id)])


async def get_accessible(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> Configs:
    return await _everywhere(request, session, principal)


async def get_counted(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    llm_id: Annotated[
        str | None, Query(alias="aiLlmId", description="only this configuration's statistics")
    ] = None,
) -> Configs:
    if llm_id is None or llm_id.strip() == "":
        return await _everywhere(request, session, principal)
    config = await get_config(request, session, principal, llm_id)
    return Configs([config.service], only=config.id)


@dataclass(frozen=True)
class Config:
    """One configuration named in the path, with the providers service of its workspace."""

    id: uuid.UUID
    service: ProviderService


async def get_config(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    llm_id: Annotated[str, Path(alias="id", description="the configuration (provider) id")],
) -> Config:
    provider_id = config_id_of(llm_id)
    access = await access_to_provider(session, principal, provider_id)
    return Config(provider_id, provider_service(request, session, access))


@dataclass(frozen=True)
class CheckTarget:
    """What a validation needs once the caller and the provider are known."""

    principal: Principal
    workspace_id: int
    name: str


async def get_check_target(
    request: Request,
    llm_id: Annotated[str, Path(alias="id", description="the configuration (provider) id")],
) -> CheckTarget:
    """Caller and provider, read in a unit of work of their own that ends before the check calls
    the provider, so no transaction (on SQLite: the write lock) is held meanwhile."""
    async with unit_of_work(get_runtime(request).sessionmaker) as session:
        principal = await get_principal(request)
        provider_id = config_id_of(llm_id)
        access = await access_to_provider(session, principal, provider_id)
        provider = await provider_service(request, session, access).get(provider_id)
    return CheckTarget(principal, access.workspace_id, provider.name)


# The configurations of `?workspaceId=` or, without it, of every accessible workspace.
Listed = Annotated[Configs, Depends(get_listed)]
# Every accessible workspace's configurations (`/available` takes no parameters).
Accessible = Annotated[Configs, Depends(get_accessible)]
# `?aiLlmId=`'s configuration, or every accessible one.
Counted = Annotated[Configs, Depends(get_counted)]
ConfigInPath = Annotated[Config, Depends(get_config)]
CheckInPath = Annotated[CheckTarget, Depends(get_check_target)]
