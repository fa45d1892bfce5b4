"""The unit of work: one session and one transaction per request, committed before the response."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

_AFTER_COMMIT = "aiport.db.after_commit"


def await_after_commit(session: Session, awaitable: Awaitable[None]) -> None:
    """Have the unit of work wait for `awaitable` once it has committed, before it ends (so
    before the response is sent): how other instances hear of a change before the caller's next
    request. Outside a unit of work, nothing waits for it."""
    waiting: list[Awaitable[None]] | None = session.info.get(_AFTER_COMMIT)
    if waiting is not None:
        waiting.append(awaitable)


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction, committed when the block ends (rolled back on an error).

    Work that waits on the network (a provider check, a model test) runs between short units
    like this one and never inside one: on SQLite every transaction holds the write lock
    (BEGIN IMMEDIATE), so a held one would stall every other writer for the whole wait.
    """
    async with sessionmaker() as session:
        waiting: list[Awaitable[None]] = []
        session.info[_AFTER_COMMIT] = waiting
        async with session.begin():
            yield session
        for awaitable in waiting:
            await awaitable


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with unit_of_work(request.app.state.runtime.sessionmaker) as session:
        yield session


# scope="function": the transaction commits when the endpoint returns, before the response is
# sent, so a client never sees a success that was not stored.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
