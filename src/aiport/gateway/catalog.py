"""What `/v1/models` lists: each enabled provider's enabled models, as `<provider>/<model>`.

A provider with no model list offers whatever its API lists; that listing is fetched with the
provider's first working key and kept for `models_cache_ttl` seconds.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from aiport.adapters import NoSecret, ProviderError, Upstream
from aiport.cache import Cache
from aiport.gateway.schemas import ProviderEntry

logger = logging.getLogger("aiport.gateway")


class ModelCatalog:
    def __init__(self, upstream: Upstream, ttl: float):
        self._upstream = upstream
        self._pending: dict[uuid.UUID, ProviderEntry] = {}
        self._discovered: Cache[uuid.UUID, tuple[str, ...]] = Cache(ttl=ttl)

    async def models_of(self, provider: ProviderEntry) -> list[str]:
        if provider.models:
            return sorted(provider.models)
        if provider.id is None:
            return []
        self._pending[provider.id] = provider
        try:
            return list(await self._discovered.get(provider.id, self._discover))
        finally:
            self._pending.pop(provider.id, None)

    def invalidate(self) -> None:
        self._discovered.invalidate()

    async def _discover(self, provider_id: uuid.UUID) -> tuple[str, ...]:
        provider = self._pending[provider_id]
        secrets: list[Any] = [key.secret for key in provider.pool.keys] or [NoSecret()]
        for secret in secrets:
            try:
                found = await provider.adapter.list_models(self._upstream, provider.target, secret)
            except ProviderError as error:
                logger.info(
                    "gateway.models.discovery_failed provider=%s error=%s",
                    provider.name,
                    error.code,
                )
                continue
            return tuple(sorted(model.id for model in found))
        return ()


def openai_list(entries: list[tuple[ProviderEntry, str]]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": f"{p.name}/{m}", "object": "model", "created": 0, "owned_by": p.name}
            for p, m in entries
        ],
    }


def anthropic_list(entries: list[tuple[ProviderEntry, str]]) -> dict[str, Any]:
    data = [
        {
            "type": "model",
            "id": f"{p.name}/{m}",
            "display_name": f"{m} ({p.name})",
            "created_at": "1970-01-01T00:00:00Z",
        }
        for p, m in entries
    ]
    return {
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }
