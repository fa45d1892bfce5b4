"""A Redis pub/sub subscriber that applies each message inside `data_received`.

Why not redis-py's PubSub: its messages are handled by a task, and when a change message and a
gateway request reach a worker in the same event-loop iteration, the request's task may run
first and serve from the stale cache. Handled in the protocol callback, the change always lands
before any request task of that iteration runs; and since the changing instance publishes before
it answers, the message is on this socket before any later request can be.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import unquote, urlparse

logger = logging.getLogger("aiport.gateway")

RECONNECT_SECONDS = 1.0
SUBSCRIBE_TIMEOUT = 5.0


def _command(*parts: str) -> bytes:
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def parse_reply(buffer: bytes, start: int = 0) -> tuple[Any, int] | None:
    """One RESP2 value from `buffer[start:]` and where it ends, or None if incomplete."""
    end = buffer.find(b"\r\n", start)
    if end < 0:
        return None
    kind, line = buffer[start : start + 1], buffer[start + 1 : end]
    if kind in (b"+", b"-"):
        return (line if kind == b"+" else RuntimeError(line.decode(errors="replace"))), end + 2
    if kind == b":":
        return int(line), end + 2
    if kind == b"$":
        size = int(line)
        if size < 0:
            return None, end + 2
        if len(buffer) < end + 2 + size + 2:
            return None
        return buffer[end + 2 : end + 2 + size], end + 2 + size + 2
    if kind == b"*":
        count = int(line)
        items = []
        position = end + 2
        for _ in range(max(count, 0)):
            parsed = parse_reply(buffer, position)
            if parsed is None:
                return None
            item, position = parsed
            items.append(item)
        return items, position
    raise ValueError(f"unexpected RESP type {kind!r}")


class _Protocol(asyncio.Protocol):
    def __init__(self, subscriber: RedisSubscriber):
        self._subscriber = subscriber
        self._buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport instances, but write like them.
        self._subscriber.connected(cast(asyncio.Transport, transport))

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        position = 0
        while True:
            parsed = parse_reply(self._buffer, position)
            if parsed is None:
                break
            value, position = parsed
            self._subscriber.reply(value)
        self._buffer = self._buffer[position:]

    def connection_lost(self, exc: Exception | None) -> None:
        self._subscriber.lost(exc)


class RedisSubscriber:
    """Subscribed to one channel for the life of the process, reconnecting when dropped."""

    def __init__(
        self,
        url: str,
        channel: str,
        on_message: Callable[[bytes], None],
        on_gap: Callable[[], None],
    ):
        self._url = urlparse(url)
        self._channel = channel
        self._on_message = on_message
        self._on_gap = on_gap
        self._transport: asyncio.Transport | None = None
        self._subscribed = asyncio.Event()
        self._closing = False
        self._reconnect: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._connect()
        await asyncio.wait_for(self._subscribed.wait(), SUBSCRIBE_TIMEOUT)

    async def stop(self) -> None:
        self._closing = True
        if self._reconnect is not None:
            self._reconnect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect
        if self._transport is not None:
            self._transport.close()

    async def _connect(self) -> None:
        context = ssl.create_default_context() if self._url.scheme == "rediss" else None
        await asyncio.get_running_loop().create_connection(
            lambda: _Protocol(self),
            self._url.hostname or "127.0.0.1",
            self._url.port or 6379,
            ssl=context,
        )

    def connected(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        commands = []
        if self._url.password:
            user = unquote(self._url.username) if self._url.username else ""
            password = unquote(self._url.password)
            commands.append(
                _command("AUTH", user, password) if user else _command("AUTH", password)
            )
        commands.append(_command("SUBSCRIBE", self._channel))
        transport.write(b"".join(commands))

    def reply(self, value: Any) -> None:
        if isinstance(value, RuntimeError):
            logger.error("gateway.changes.redis_error error=%s", value)
            return
        if not isinstance(value, list) or len(value) < 3:
            return
        kind = value[0]
        if kind == b"message" and isinstance(value[2], bytes):
            self._on_message(value[2])
        elif kind == b"subscribe":
            self._subscribed.set()

    def lost(self, exc: Exception | None) -> None:
        self._transport = None
        self._subscribed.clear()
        if self._closing:
            return
        logger.warning(
            "gateway.changes.redis_lost error=%s", type(exc).__name__ if exc else "closed"
        )
        # Messages may have been missed while disconnected: forget everything cached.
        self._on_gap()
        self._reconnect = asyncio.get_running_loop().create_task(self._reconnect_loop())

    async def _reconnect_loop(self) -> None:
        while not self._closing:
            await asyncio.sleep(RECONNECT_SECONDS)
            try:
                await self._connect()
                self._on_gap()
                return
            except OSError as error:
                logger.warning(
                    "gateway.changes.redis_reconnect_failed error=%s", type(error).__name__
                )
