"""A marked change is told once its transaction commits, to this process and to the carrier."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from aiport.changes import hub
from aiport.changes.hooks import mark
from aiport.changes.kinds import Change, IdentityChanged, ModelChanged, ProviderChanged
from aiport.db.session import unit_of_work

PROVIDER = ProviderChanged(1, uuid.UUID(int=7), "update")


class RecordingCarrier:
    def __init__(self) -> None:
        self.before: list[list[Change]] = []
        self.after: list[list[Change]] = []
        self.awaited = False

    def before_commit(self, _session: Session, changes: Sequence[Change]) -> None:
        self.before.append(list(changes))

    def committed(self, changes: Sequence[Change]) -> Awaitable[None] | None:
        self.after.append(list(changes))
        return self._sent()

    async def _sent(self) -> None:
        self.awaited = True


async def test_a_change_is_told_after_the_commit_and_not_before(app: FastAPI) -> None:
    heard: list[Change] = []
    carrier = RecordingCarrier()
    stop_listening, stop_carrying = hub.subscribe(heard.append), hub.add_carrier(carrier)
    try:
        async with unit_of_work(app.state.runtime.sessionmaker) as session:
            mark(session, PROVIDER)
            mark(session, IdentityChanged("token"))
            mark(session, PROVIDER)
            told_before_commit = list(heard)
    finally:
        stop_listening()
        stop_carrying()

    assert told_before_commit == []
    assert heard == [PROVIDER, IdentityChanged("token")]
    assert carrier.before == carrier.after == [[PROVIDER, IdentityChanged("token")]]
    assert carrier.awaited  # the unit of work waited for the carrier before it ended


async def test_a_rolled_back_change_is_told_to_no_one(app: FastAPI) -> None:
    heard: list[Change] = []
    carrier = RecordingCarrier()
    stop_listening, stop_carrying = hub.subscribe(heard.append), hub.add_carrier(carrier)

    async def failing_request() -> None:
        async with unit_of_work(app.state.runtime.sessionmaker) as session:
            mark(session, ModelChanged(1))
            raise RuntimeError("the request failed after the change")

    try:
        with pytest.raises(RuntimeError):
            await failing_request()
    finally:
        stop_listening()
        stop_carrying()

    assert heard == []
    assert (carrier.before, carrier.after) == ([], [])
