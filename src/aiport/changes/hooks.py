"""Marking a change on the session's transaction; telling it once, after the commit.

Delivery waits for the commit on purpose: a listener that reloads at once must read the new
rows, not the old ones, or it would cache the state that was just replaced. A rolled-back
change is never told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from aiport.changes import hub
from aiport.changes.kinds import Change
from aiport.db.session import await_after_commit

_PENDING = "aiport.changes.pending"


def mark(session: AsyncSession, change: Change) -> None:
    """Queue a change on the session's transaction: it is told when that commits."""
    pending: dict[Change, None] = session.sync_session.info.setdefault(_PENDING, {})
    pending[change] = None  # once per transaction, in order


def _pending(session: Session) -> list[Change]:
    queued = session.info.get(_PENDING)
    return list(queued) if queued else []


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    changes = _pending(session)
    if changes:
        for carrier in hub.carriers():
            carrier.before_commit(session, changes)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    changes = _pending(session)
    session.info.pop(_PENDING, None)
    if not changes:
        return
    hub.apply(changes)
    for carrier in hub.carriers():
        sent = carrier.committed(changes)
        if sent is not None:
            await_after_commit(session, sent)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction, *_: Any) -> None:
    # The outermost transaction ended without a commit (after_commit already emptied the queue
    # otherwise): forget what it marked.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
