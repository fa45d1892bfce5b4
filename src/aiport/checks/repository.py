"""All SQL of checks: the cached model listings (providers are read through ProviderRepository)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import ProviderModelCache


class ModelCacheRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, provider_id: uuid.UUID) -> ProviderModelCache | None:
        return await self.session.get(ProviderModelCache, provider_id)

    async def put(
        self, provider_id: uuid.UUID, models: list[dict[str, Any]], fetched_at: datetime
    ) -> None:
        """Insert or replace; a concurrent first listing (PostgreSQL) turns into an update."""
        row = await self.session.get(ProviderModelCache, provider_id)
        if row is None:
            try:
                async with self.session.begin_nested():
                    self.session.add(
                        ProviderModelCache(
                            provider_id=provider_id, models=models, fetched_at=fetched_at
                        )
                    )
                    await self.session.flush()
                return
            except IntegrityError:
                row = await self.session.get(
                    ProviderModelCache, provider_id, populate_existing=True
                )
                if row is None:
                    raise
        row.models = models
        row.fetched_at = fetched_at
        await self.session.flush()

    async def flush(self) -> None:
        """Write the status fields a check set on providers and credentials."""
        await self.session.flush()
