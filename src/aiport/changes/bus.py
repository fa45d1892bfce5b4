"""The one carrier of changes between this process and the others (one per process, made by
the lifespan), so every worker and instance drops what a commit made stale:

- Redis (`AIPORT_REDIS_URL`): published after the commit, on the process's one Redis client;
  the unit of work awaits the publish (never blocking the event loop) before the response of
  the changing request goes out, so the caller's next request, wherever it lands, finds the
  change already told;
- PostgreSQL without Redis: `pg_notify` inside the changing transaction, delivered by the
  database at commit to every process that LISTENs;
- SQLite (one machine, a few workers): a counter in a file of the data directory shared by the
  workers (`SharedCounter`); a request compares it with the last value it saw.

Every cache refuses a load that started before an invalidation (`aiport.cache`), so applying a
change once, when it arrives, cannot leave a stale entry behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Session

from aiport.changes import hub
from aiport.changes.counter import SharedCounter
from aiport.changes.kinds import AnythingChanged, Change, decode, encode
from aiport.changes.pubsub import RedisChannel

logger = logging.getLogger("aiport.changes")

CHANNEL = "aiport_changes"
# A stuck Redis must not hold the changing request longer than this.
PUBLISH_TIMEOUT = 1.0


class ChangeBus:
    def __init__(self, *, redis: Redis | None, engine: AsyncEngine, signal_file: Path):
        self._redis = redis
        self._engine = engine
        self._signal_file = signal_file
        # Messages carry their sender, so a process does not apply its own changes twice.
        self._sender = uuid.uuid4().hex
        self._channel: RedisChannel | None = None
        self._pg: AsyncConnection | None = None
        self._pg_raw: Any = None
        self._counter: SharedCounter | None = None
        self._seen = 0
        self._publishing: set[asyncio.Task[None]] = set()
        self._remove_carrier: Callable[[], None] = lambda: None
        self.uses_counter = redis is None and engine.dialect.name != "postgresql"

    async def start(self) -> None:
        if self._redis is not None:
            self._channel = RedisChannel(self._redis, CHANNEL, self._on_message, self._gap)
            await self._channel.start()
        elif not self.uses_counter:
            self._pg = await self._engine.connect()
            raw = await self._pg.get_raw_connection()
            self._pg_raw = raw.driver_connection
            await self._pg_raw.add_listener(CHANNEL, self._on_pg_notify)
        else:
            self._counter = SharedCounter(self._signal_file)
            self._seen = self._counter.value()
        self._remove_carrier = hub.add_carrier(self)

    async def stop(self) -> None:
        self._remove_carrier()
        await asyncio.gather(*self._publishing, return_exceptions=True)
        if self._channel is not None:
            await self._channel.stop()
            self._channel = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                await self._pg_raw.remove_listener(CHANNEL, self._on_pg_notify)
            await self._pg.close()
            self._pg = None
        if self._counter is not None:
            self._counter.close()
            self._counter = None

    # Carrier: told by the session hooks (`aiport.changes.hooks`).

    def before_commit(self, session: Session, changes: Sequence[Change]) -> None:
        if self._pg is None or session.get_bind().dialect.name != "postgresql":
            return
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": self._message(changes)},
        )

    def committed(self, changes: Sequence[Change]) -> Awaitable[None] | None:
        if self._channel is not None:
            task = asyncio.get_running_loop().create_task(self._publish(self._message(changes)))
            self._publishing.add(task)
            task.add_done_callback(self._publishing.discard)
            return task
        if self._counter is not None:
            self._seen = self._counter.bump()
        return None

    def check_counter(self) -> None:
        """On SQLite, per request: a moved counter means another worker changed something."""
        counter = self._counter
        if counter is not None:
            value = counter.value()
            if value != self._seen:
                self._seen = value
                hub.apply([AnythingChanged()])

    async def _publish(self, message: str) -> None:
        assert self._channel is not None
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await self._channel.publish(message)
        except (RedisError, OSError, TimeoutError) as error:
            logger.error("changes.publish_failed error=%s", type(error).__name__)

    def _message(self, changes: Sequence[Change]) -> str:
        return f"{self._sender} {encode(changes)}"

    def _on_message(self, data: bytes | str) -> None:
        message = data.decode(errors="replace") if isinstance(data, bytes) else data
        sender, _, payload = message.partition(" ")
        if sender != self._sender:
            hub.apply(decode(payload))

    def _gap(self) -> None:
        hub.apply([AnythingChanged()])

    def _on_pg_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._on_message(payload)
