"""Change notifications between workers and instances, so caches drop what changed at once.

The providers domain announces a change after its commit. The gateway applies it locally and
tells the others *before the response of the changing request is sent*, so a caller's next
request sees the change wherever it lands:

- Redis (`AIPORT_REDIS_URL`): published with a short blocking call from the commit hook;
- PostgreSQL without Redis: `pg_notify` inside the changing transaction, delivered by the
  database at commit to every instance that LISTENs;
- SQLite (one machine, a few workers): a change counter in a small file of the data directory,
  mapped into every worker's memory; a request compares it with the last value it saw (a
  memory read, no system call).

Every change is applied locally twice, at once and shortly after, so a reload that raced with
the commit cannot leave a stale entry behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mmap
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import redis
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Session

from aiport.gateway.subscriber import RedisSubscriber
from aiport.providers import events as provider_events
from aiport.providers.events import ProvidersChanged

logger = logging.getLogger("aiport.gateway")

CHANNEL = "aiport_changes"
SETTLE_SECONDS = 0.5
PUBLISH_TIMEOUT = 1.0


@dataclass(frozen=True)
class Change:
    """What changed: `workspace` (its providers), `provider` (one, by name), `tokens` or `all`."""

    scope: str
    workspace_id: int | None = None
    name: str | None = None

    def encode(self) -> str:
        return orjson.dumps(
            {"scope": self.scope, "workspace_id": self.workspace_id, "name": self.name}
        ).decode()

    @classmethod
    def decode(cls, data: bytes | str) -> Change:
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError:
            return cls("all")
        if not isinstance(raw, dict):
            return cls("all")
        workspace_id = raw.get("workspace_id")
        name = raw.get("name")
        return cls(
            str(raw.get("scope") or "all"),
            workspace_id if isinstance(workspace_id, int) else None,
            name if isinstance(name, str) else None,
        )

    @classmethod
    def of(cls, changed: ProvidersChanged) -> Change:
        return cls("workspace", changed.workspace_id)


# Processes whose gateway relies on PostgreSQL NOTIFY; the commit hook below serves them.
_NOTIFYING: set[int] = set()


def pending_changes(session: Session) -> list[ProvidersChanged]:
    """What the providers domain announced in this transaction (queued on the session until its
    commit; see `aiport.providers.events.announce`)."""
    queued = session.info.get(provider_events._PENDING)
    return list(queued) if isinstance(queued, list) else []


@event.listens_for(Session, "before_commit")
def _notify_in_transaction(session: Session) -> None:
    """`pg_notify` in the changing transaction itself: PostgreSQL delivers it at commit."""
    if not _NOTIFYING:
        return
    changes = pending_changes(session)
    if not changes or session.get_bind().dialect.name != "postgresql":
        return
    for payload in sorted({Change.of(c).encode() for c in changes}):
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
        )


class SharedCounter:
    """A 64-bit counter in a file mapped into memory: every worker mapping it sees each bump."""

    SIZE = 8

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < self.SIZE:
            os.ftruncate(self._fd, self.SIZE)
        self._map = mmap.mmap(self._fd, self.SIZE)

    def value(self) -> int:
        return int.from_bytes(self._map[: self.SIZE], "little")

    def bump(self) -> int:
        value = (self.value() + 1) % (1 << 63)
        self._map[: self.SIZE] = value.to_bytes(self.SIZE, "little")
        return value

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)


class ChangeBus:
    def __init__(
        self,
        apply: Callable[[Change], None],
        *,
        redis_url: str,
        redis_client: Redis | None,
        engine: AsyncEngine,
        signal_file: Path,
    ):
        self._apply = apply
        self._redis_url = redis_url
        self._redis = redis_client
        self._publisher: redis.Redis | None = None
        self._engine = engine
        self._signal_file = signal_file
        self._subscriber: RedisSubscriber | None = None
        self._pg: AsyncConnection | None = None
        self._pg_raw: Any = None
        self._counter: SharedCounter | None = None
        self._seen = 0
        self.uses_counter = redis_client is None and engine.dialect.name != "postgresql"

    async def start(self) -> None:
        if self._redis is not None:
            self._publisher = redis.Redis.from_url(
                self._redis_url,
                socket_timeout=PUBLISH_TIMEOUT,
                socket_connect_timeout=PUBLISH_TIMEOUT,
            )
            self._subscriber = RedisSubscriber(
                self._redis_url,
                CHANNEL,
                lambda data: self._received(Change.decode(data)),
                lambda: self._apply(Change("all")),
            )
            await self._subscriber.start()
        elif not self.uses_counter:
            self._pg = await self._engine.connect()
            raw = await self._pg.get_raw_connection()
            self._pg_raw = raw.driver_connection
            await self._pg_raw.add_listener(CHANNEL, self._on_pg_notify)
            _NOTIFYING.add(id(self))
        else:
            self._counter = SharedCounter(self._signal_file)
            self._seen = self._counter.value()

    async def stop(self) -> None:
        _NOTIFYING.discard(id(self))
        if self._subscriber is not None:
            await self._subscriber.stop()
            self._subscriber = None
        if self._publisher is not None:
            self._publisher.close()
            self._publisher = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                await self._pg_raw.remove_listener(CHANNEL, self._on_pg_notify)
            await self._pg.close()
            self._pg = None
        if self._counter is not None:
            self._counter.close()
            self._counter = None

    def committed(self, change: Change) -> None:
        """A change was committed in this process: apply it and tell the other processes now."""
        self._received(change)
        try:
            if self._publisher is not None:
                # A blocking publish, on purpose: it is done before the response goes out.
                self._publisher.publish(CHANNEL, change.encode())
            elif self._counter is not None:
                self._seen = self._counter.bump()
        except (RedisError, OSError) as error:
            logger.error(
                "gateway.changes.publish_failed scope=%s error=%s",
                change.scope,
                type(error).__name__,
            )

    def check_counter(self) -> None:
        """On SQLite, per request: a moved counter means another worker changed something."""
        counter = self._counter
        if counter is not None:
            value = counter.value()
            if value != self._seen:
                self._seen = value
                self._apply(Change("all"))

    def _received(self, change: Change) -> None:
        self._apply(change)
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_later(SETTLE_SECONDS, self._apply, change)

    def _on_pg_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._received(Change.decode(payload))
