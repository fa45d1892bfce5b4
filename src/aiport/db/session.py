"""The unit of work: one session and one transaction per request, committed before the response."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction, committed when the block ends (rolled back on an error).

    Work that waits on the network (a provider check, a model test) runs between short units
    like this one and never inside one: on SQLite every transaction holds the write lock
    (BEGIN IMMEDIATE), so a held one would stall every other writer for the whole wait.
    """
    async with sessionmaker() as session, session.begin():
        yield session


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with unit_of_work(request.app.state.runtime.sessionmaker) as session:
        yield session


# scope="function": the transaction commits when the endpoint returns, before the response is
# sent, so a client never sees a success that was not stored.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
