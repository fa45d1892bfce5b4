"""What the lifespan builds and routes use: one per process, closed on shutdown."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from aiport.adapters import AdapterRegistry
from aiport.config import Settings
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


def get_runtime(connection: HTTPConnection) -> Runtime:
    runtime: Runtime = connection.app.state.runtime
    return runtime
