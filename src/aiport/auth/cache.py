"""Who a token is and what it may reach, remembered for a moment so reads need no database.

Entries live `AIPORT_AUTH_CACHE_TTL` seconds. In this process any change to tokens, users or
memberships, once committed, makes every entry stale at once (a generation counter bumped by
the repositories that write them). Other processes notice within the TTL: that bound is the
price of answering a read without a query, and it is kept short.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_PENDING = "aiport.identity.changed"
_generation = 0
# Told after an identity change commits (the gateway passes it on to other instances); must be
# quick and must not block.
_listeners: list[Callable[[], None]] = []


def on_identity_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Add a listener; returns the function that removes it again."""
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe


def identity_changed(session: AsyncSession) -> None:
    """Mark the session's transaction: when it commits, cached identities go stale."""
    session.sync_session.info[_PENDING] = True


def generation() -> int:
    return _generation


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    global _generation
    if session.info.pop(_PENDING, False):
        _generation += 1
        for listener in list(_listeners):
            listener()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    # A rollback also ends a transaction that touched identities without changing them, but a
    # needless bump only costs a reload: be safe.
    session.info.pop(_PENDING, None)


class IdentityCache(Generic[K, V]):
    """A TTL map whose entries also die when the identity generation moves."""

    def __init__(self, ttl: float, max_entries: int = 50_000):
        self._ttl = ttl
        self._max_entries = max_entries
        # value, time to start refreshing it, time it dies, generation it was loaded in
        self._entries: dict[K, tuple[V, float, float, int]] = {}
        self._loading: dict[K, asyncio.Future[V]] = {}
        self._refreshing: set[asyncio.Task[None]] = set()

    def get(self, key: K) -> V | None:
        hit = self._entries.get(key)
        if hit is None:
            return None
        value, _refresh_at, expires, seen_generation = hit
        if expires <= time.monotonic() or seen_generation != _generation:
            del self._entries[key]
            return None
        return value

    def put(self, key: K, value: V, generation_at_load: int) -> None:
        """Keep a value loaded while the generation was `generation_at_load` (read before the
        load), so a change that committed during the load is not cached as current."""
        if self._ttl <= 0 or generation_at_load != _generation:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()
        now = time.monotonic()
        self._entries[key] = (value, now + self._ttl / 2, now + self._ttl, generation_at_load)

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The cached value, else one load shared by every concurrent caller of the same key.

        Past half its life an entry is still served while one background load refreshes it, so
        a busy key never expires under its callers (which would queue them all on one query).
        `load` must therefore not depend on the caller's request (use its own unit of work).
        """
        value = self.get(key)
        if value is not None:
            if self._entries[key][1] <= time.monotonic() and key not in self._loading:
                self._refresh_in_background(key, load)
            return value
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        return await self._load_shared(key, load)

    async def _load_shared(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        generation_at_load = _generation
        try:
            value = await load()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved, so an unawaited failure is not logged as lost
            raise
        finally:
            del self._loading[key]
        future.set_result(value)
        self.put(key, value, generation_at_load)
        return value

    def _refresh_in_background(self, key: K, load: Callable[[], Awaitable[V]]) -> None:
        async def refresh() -> None:
            # A failed refresh (e.g. the token was revoked) drops the entry; the next caller
            # loads it again and gets the error itself.
            try:
                await self.get_or_load_fresh(key, load)
            except Exception:
                self._entries.pop(key, None)

        task = asyncio.get_running_loop().create_task(refresh())
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)

    async def get_or_load_fresh(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """Load now (sharing a load already under way), whatever is cached."""
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        return await self._load_shared(key, load)

    def clear(self) -> None:
        self._entries.clear()

    async def close(self) -> None:
        """Stop refreshes still under way (on shutdown, before the engine goes)."""
        for task in list(self._refreshing):
            task.cancel()
        await asyncio.gather(*self._refreshing, return_exceptions=True)
