"""The provider list for read-only routes: served from the process's cache, with a unit of work
opened only on a miss (a request session would cost more than the cached answer itself)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.db.session import unit_of_work
from aiport.providers.cache import ProviderViews, Stamp
from aiport.providers.schemas import ProviderRead
from aiport.providers.service import ProviderService
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess


@dataclass(eq=False)
class ProviderLists:
    sessionmaker: async_sessionmaker[AsyncSession]
    keyring: KeyRing
    access: WorkspaceAccess
    views: ProviderViews

    def stamp(self) -> Stamp:
        """The version of the workspace's provider list: anything derived from the list is
        current while this stays the same."""
        return self.views.stamp(self.access.workspace_id)

    async def list(self) -> list[ProviderRead]:
        """`ProviderService.list_providers`, without a database session when the cache holds it."""
        cached = self.views.get_list(self.access.workspace_id)
        if cached is not None:
            return cached
        async with unit_of_work(self.sessionmaker) as session:
            service = ProviderService(session, self.keyring, self.access, views=self.views)
            return await service.list_providers()
