"""Usage recording off the hot path: requests append to a list, a background task writes batches.

A request costs one list append. Every `interval` seconds (or sooner when the batch is full) the
task inserts the batch in one statement, updates the Prometheus metrics, and marks the tokens
seen as used. If the database is unreachable the batch is dropped with a log line, so memory
stays bounded and the gateway keeps serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.background import cancel_task
from aiport.db.types import utcnow
from aiport.gateway import metrics
from aiport.gateway.repository import GatewayRepository
from aiport.gateway.schemas import Usage

logger = logging.getLogger("aiport.gateway")

MAX_PENDING = 100_000
CHUNK = 100
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


class UsageRecorder:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        interval: float = 0.25,
        batch_size: int = 2000,
    ):
        self._sessionmaker = sessionmaker
        self._interval = interval
        self._batch_size = batch_size
        self._pending: list[Usage] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._touched: dict[int, datetime] = {}

    def record(self, usage: Usage) -> None:
        """The hot path's only usage cost."""
        usage.created_at = time.time()
        pending = self._pending
        if len(pending) < MAX_PENDING:
            pending.append(usage)
        if len(pending) == self._batch_size:
            self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="aiport.gateway.usage")

    async def stop(self) -> None:
        await cancel_task(self._task)
        self._task = None
        await self.flush()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                logger.exception("gateway.usage.flush_failed")

    async def flush(self) -> int:
        """Write what is pending now; returns how many records were written."""
        async with self._lock:
            batch, self._pending = self._pending, []
            if not batch:
                return 0
            # Metrics in slices too, yielding between them: each slice is a short stall of the
            # loop that serves requests, never one long one.
            for start in range(0, len(batch), CHUNK):
                _observe(batch[start : start + CHUNK])
                await asyncio.sleep(0)
            now = utcnow()
            tokens = {u.token_id for u in batch if u.token_id}
            due = {t for t in tokens if _due(self._touched.get(t), now)}
            try:
                async with self._sessionmaker() as session, session.begin():
                    repository = GatewayRepository(session)
                    # In slices, so requests get the loop back between them.
                    for start in range(0, len(batch), CHUNK):
                        await repository.add_usage([_row(u) for u in batch[start : start + CHUNK]])
                    if due:
                        await repository.touch_tokens(due, now)
            except SQLAlchemyError as error:
                logger.error(
                    "gateway.usage.dropped records=%d error=%s", len(batch), type(error).__name__
                )
                return 0
            for token in due:
                self._touched[token] = now
            return len(batch)


def _due(last: datetime | None, now: datetime) -> bool:
    return last is None or now - last >= TOKEN_TOUCH_INTERVAL


def _row(usage: Usage) -> tuple[Any, ...]:
    """One usage row in `repository.USAGE_COLUMNS` order (a test holds the two together)."""
    return (
        usage.workspace_id,
        usage.user_id or None,
        usage.token_id or None,
        usage.provider_id,
        usage.provider_name,
        usage.credential_id,
        usage.model,
        usage.endpoint,
        usage.stream,
        usage.input_tokens,
        usage.output_tokens,
        usage.status,
        round(usage.latency_ms, 3),
        round(usage.overhead_ms, 3),
        usage.failovers,
        datetime.fromtimestamp(usage.created_at, UTC),
    )


def _observe(batch: list[Usage]) -> None:
    """Per batch, one metric update per distinct label set rather than one per request."""
    requests: Counter[tuple[str, str, str]] = Counter()
    failovers: Counter[str] = Counter()
    tokens: Counter[tuple[str, str]] = Counter()
    latency: dict[str, list[float]] = {}
    overhead: dict[str, list[float]] = {}
    for usage in batch:
        provider = usage.provider_name or "-"
        requests[(usage.endpoint, provider, str(usage.status))] += 1
        latency.setdefault(usage.endpoint, []).append(usage.latency_ms / 1000)
        overhead.setdefault(usage.endpoint, []).append(usage.overhead_ms / 1000)
        if usage.failovers:
            failovers[provider] += usage.failovers
        if usage.input_tokens:
            tokens[(provider, "in")] += usage.input_tokens
        if usage.output_tokens:
            tokens[(provider, "out")] += usage.output_tokens
    for labels, count in requests.items():
        metrics.REQUESTS.labels(*labels).inc(count)
    for endpoint, values in latency.items():
        histogram = metrics.LATENCY.labels(endpoint)
        for value in values:
            histogram.observe(value)
    for endpoint, values in overhead.items():
        histogram = metrics.OVERHEAD.labels(endpoint)
        for value in values:
            histogram.observe(value)
    for provider, count in failovers.items():
        metrics.FAILOVERS.labels(provider).inc(count)
    for (provider, direction), count in tokens.items():
        metrics.TOKENS.labels(provider, direction).inc(count)
