"""The periodic purge of expired actions, started by the app's lifespan."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.actions.service import purge_expired
from aiport.background import cancel_task

logger = logging.getLogger("aiport.actions")

# Baserow's OLD_ACTION_CLEANUP_INTERVAL_MINUTES.
INTERVAL_SECONDS = 5 * 60


class ActionCleanup:
    """Every `interval` seconds, deletes the actions that can no longer be undone.

    Undo and redo ignore expired actions anyway; this only keeps the table small.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, interval: float = INTERVAL_SECONDS
    ):
        self.sessionmaker = sessionmaker
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="aiport.actions.cleanup")

    async def stop(self) -> None:
        await cancel_task(self._task)
        self._task = None

    async def run_once(self) -> int:
        async with self.sessionmaker() as session, session.begin():
            return await purge_expired(session)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                purged = await self.run_once()
            except Exception:
                # A failed purge (the database is away) is retried next time; it must not stop.
                logger.exception("actions.cleanup.failed")
            else:
                if purged:
                    logger.info("actions.cleanup.purged count=%s", purged)
