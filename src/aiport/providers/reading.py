"""The provider list for read-only routes: served from the process's cache, with a unit of work
opened only on a miss (a request session would cost more than the cached answer itself)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.db.session import unit_of_work
from aiport.providers.cache import ProviderViews
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

    async def rendered(
        self,
        view: str,
        render: Callable[[list[ProviderRead]], bytes],
        *,
        require_admin: bool = False,
    ) -> bytes:
        """`ProviderService.list_rendered`, without a database session when the cache holds it."""
        if require_admin:
            self.access.require_admin()
        cached = self.views.get_rendered(self.access.workspace_id, view)
        if cached is not None:
            return cached
        async with unit_of_work(self.sessionmaker) as session:
            service = ProviderService(session, self.keyring, self.access, views=self.views)
            return await service.list_rendered(view, render)
