"""The one in-memory cache type: what keeps the database and the key ring off the read paths.

An entry lives until its TTL runs out (a backstop) or a committed change drops it (see
`aiport.changes`). Concurrent misses on one key share a single load, and a load that raced with
an invalidation is returned but not kept, so a revoked token or a deleted key cannot be written
back by a request already in flight. Failed lookups (a `None` value) may live shorter, and the
size is bounded, so bogus keys cost no memory.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Load = Callable[[K], Awaitable[V]]


class Cache(Generic[K, V]):
    def __init__(
        self,
        *,
        ttl: float,
        negative_ttl: float | None = None,
        max_entries: int = 100_000,
        refresh: bool = False,
    ):
        """`refresh`: past half its life an entry is still served while one background load
        renews it, so a busy key never expires under its callers (which would queue them all on
        one query). Its `load` must then not depend on the caller's request."""
        self._ttl = ttl
        self._negative_ttl = ttl if negative_ttl is None else negative_ttl
        self._max_entries = max_entries
        self._refresh = refresh
        # value, time to start refreshing it, time it dies
        self._entries: dict[K, tuple[V, float, float]] = {}
        self._loading: dict[K, asyncio.Future[V]] = {}
        self._refreshing: set[asyncio.Task[None]] = set()
        self._generation = 0

    async def get(self, key: K, load: Load[K, V]) -> V:
        """The cached value, else one `load(key)` shared by every concurrent caller of `key`."""
        hit = self._entries.get(key)
        if hit is not None:
            now = time.monotonic()
            if hit[2] > now:
                if hit[1] <= now and key not in self._loading:
                    self._refresh_in_background(key, load)
                return hit[0]
            del self._entries[key]
        return await self._load_or_join(key, load)

    async def _load_or_join(self, key: K, load: Load[K, V]) -> V:
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        return await self._load_shared(key, load)

    def invalidate(self, match: Callable[[K], bool] | None = None) -> None:
        """Drop every entry, or those `match` selects; loads in flight will not be kept."""
        self._generation += 1
        self._loading.clear()
        if match is None:
            self._entries.clear()
            return
        for key in [k for k in self._entries if match(k)]:
            del self._entries[key]

    async def close(self) -> None:
        """Stop refreshes still under way (on shutdown, before the engine goes)."""
        for task in list(self._refreshing):
            task.cancel()
        await asyncio.gather(*self._refreshing, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._entries)

    async def _load_shared(self, key: K, load: Load[K, V]) -> V:
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        generation = self._generation
        try:
            value = await load(key)
        except BaseException as error:
            future.set_exception(error)
            # Nobody else may be waiting; retrieving the exception keeps asyncio quiet.
            future.exception()
            raise
        finally:
            if self._loading.get(key) is future:
                del self._loading[key]
        future.set_result(value)
        if generation == self._generation:
            self._put(key, value)
        return value

    def _put(self, key: K, value: V) -> None:
        ttl = self._ttl if value is not None else self._negative_ttl
        if ttl <= 0:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        now = time.monotonic()
        refresh_at = now + ttl / 2 if self._refresh else math.inf
        self._entries[key] = (value, refresh_at, now + ttl)

    def _refresh_in_background(self, key: K, load: Load[K, V]) -> None:
        async def refresh() -> None:
            # A failed refresh (e.g. the token was revoked) drops the entry; the next caller
            # loads it again and gets the error itself.
            try:
                await self._load_or_join(key, load)
            except Exception:
                self._entries.pop(key, None)

        task = asyncio.get_running_loop().create_task(refresh())
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)
