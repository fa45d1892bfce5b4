"""The unit of work: one session and one transaction per request, committed before the response."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.runtime.sessionmaker
    async with sessionmaker() as session, session.begin():
        yield session


# scope="function": the transaction commits when the endpoint returns, before the response is
# sent, so a client never sees a success that was not stored.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
