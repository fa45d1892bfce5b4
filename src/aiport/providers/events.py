""" "The providers of workspace W changed": told to in-process listeners after the commit.

The gateway keeps providers and decrypted keys in memory; it subscribes here to drop them, and
a publisher for other instances (Redis, PostgreSQL NOTIFY) is just one more listener. Delivery
waits for the commit on purpose: a listener that reloads at once must read the new rows, not the
old ones, or it would cache the state that was just replaced. A rolled-back change is never told.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

logger = logging.getLogger("aiport.providers")

_PENDING = "aiport.providers.changed"


@dataclass(frozen=True)
class ProvidersChanged:
    workspace_id: int
    provider_id: uuid.UUID
    action: Literal["create", "update", "delete"]


# Called in the committing task, so it must be quick and must not block: schedule async work
# (a network publish) with asyncio.create_task rather than awaiting it.
Listener = Callable[[ProvidersChanged], None]

_listeners: list[Listener] = []


def subscribe(listener: Listener) -> Callable[[], None]:
    """Add a listener; returns the function that removes it again."""
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe


def announce(session: AsyncSession, change: ProvidersChanged) -> None:
    """Queue a change on the session's transaction; listeners hear it once that commits."""
    pending: list[ProvidersChanged] = session.sync_session.info.setdefault(_PENDING, [])
    pending.append(change)


def _deliver(change: ProvidersChanged) -> None:
    for listener in list(_listeners):
        try:
            listener(change)
        except Exception:
            # The change is committed; a failing listener must not turn it into an error.
            logger.exception(
                "providers.changed.listener_failed workspace_id=%s provider_id=%s",
                change.workspace_id,
                change.provider_id,
            )


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for change in session.info.pop(_PENDING, []):
        _deliver(change)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction, *_: Any) -> None:
    # The outermost transaction ended without a commit (after_commit already emptied the queue
    # otherwise): forget what it announced.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
