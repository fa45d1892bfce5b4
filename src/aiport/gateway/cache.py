"""In-memory caches that keep the database and the key ring off the hot path.

Each entry lives until its TTL runs out or a change notification drops it. Concurrent misses on
one key share a single load, and a load that raced with an invalidation is returned but not kept,
so a deleted or rotated key cannot be written back into the cache by a request already in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self,
        load: Callable[[K], Awaitable[V]],
        *,
        ttl: float,
        negative_ttl: float | None = None,
        max_entries: int = 100_000,
    ):
        self._load = load
        self._ttl = ttl
        self._negative_ttl = ttl if negative_ttl is None else negative_ttl
        self._max_entries = max_entries
        self._entries: dict[K, tuple[V, float]] = {}
        self._loading: dict[K, asyncio.Future[V]] = {}
        self._generation = 0

    def peek(self, key: K) -> V | None:
        """The cached value if fresh, without loading: the hot path's first and usual step."""
        hit = self._entries.get(key)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        return None

    async def get(self, key: K) -> V:
        hit = self._entries.get(key)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        generation = self._generation
        try:
            value = await self._load(key)
        except BaseException as error:
            future.set_exception(error)
            # Nobody else may be waiting; retrieving the exception keeps asyncio quiet.
            future.exception()
            raise
        finally:
            if self._loading.get(key) is future:
                del self._loading[key]
        if generation == self._generation:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            ttl = self._ttl if value is not None else self._negative_ttl
            self._entries[key] = (value, time.monotonic() + ttl)
        future.set_result(value)
        return value

    def invalidate(self, match: Callable[[K], bool] | None = None) -> None:
        """Drop every entry, or those `match` selects; loads in flight will not be kept."""
        self._generation += 1
        self._loading.clear()
        if match is None:
            self._entries.clear()
            return
        for key in [k for k in self._entries if match(k)]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
