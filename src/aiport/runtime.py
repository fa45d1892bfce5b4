"""What the lifespan builds and routes use: one per process, closed on shutdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from aiport.adapters import AdapterRegistry
from aiport.auth.cache import IdentityCache
from aiport.auth.principal import Principal
from aiport.config import Settings
from aiport.providers.cache import ProviderViews
from aiport.vault import KeyRing


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    keyring: KeyRing
    # The one pooled HTTP client session for every upstream call, with the outbound guard.
    http: aiohttp.ClientSession
    adapters: AdapterRegistry
    # Token hash → the caller, and (user, token workspace, asked workspace) → (workspace, role).
    principals: IdentityCache[str, Principal]
    # Per workspace: the provider list and its renderings, dropped on every change.
    provider_views: ProviderViews
    # Picks up other processes' changes before a cached view is served (set by the lifespan).
    sync_changes: Callable[[], None]
    workspace_roles: IdentityCache[tuple[int, int | None, int | None], tuple[int, str]]


def get_runtime(connection: HTTPConnection) -> Runtime:
    runtime: Runtime = connection.app.state.runtime
    return runtime
