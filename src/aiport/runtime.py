"""What the lifespan builds and routes use: one per process, closed on shutdown."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from aiport.adapters import AdapterRegistry
from aiport.auth.principal import Principal
from aiport.cache import Cache
from aiport.changes.bus import ChangeBus
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
    # The one Redis client (rate limits, cooldowns, changes), when AIPORT_REDIS_URL is set.
    redis: Redis | None
    # Carries committed changes to and from the other workers and instances.
    changes: ChangeBus
    # Token hash → the caller, and (user, token workspace, asked workspace) → (workspace, role).
    principals: Cache[str, Principal]
    # Per workspace: the provider list and its renderings, dropped on every change.
    provider_views: ProviderViews
    workspace_roles: Cache[tuple[int, int | None, int | None], tuple[int, str]]


def get_runtime(connection: HTTPConnection) -> Runtime:
    runtime: Runtime = connection.app.state.runtime
    return runtime
