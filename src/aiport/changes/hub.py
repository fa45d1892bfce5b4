"""This process's side of a change: the caches that hear it and the bus that carries it on.

Listeners are called in the task that committed (or that received the change), so they must be
quick and must not block: they drop cache entries, nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from aiport.changes.kinds import Change

logger = logging.getLogger("aiport.changes")

Listener = Callable[[Change], None]
_T = TypeVar("_T")


class Carrier(Protocol):
    """What carries committed changes to the other processes (see `aiport.changes.bus`)."""

    def before_commit(self, session: Session, changes: Sequence[Change]) -> None:
        """Inside the committing transaction (PostgreSQL NOTIFY is delivered at its commit)."""

    def committed(self, changes: Sequence[Change]) -> Awaitable[None] | None:
        """After the commit; what it returns is awaited before the unit of work ends."""


_listeners: list[Listener] = []
_carriers: list[Carrier] = []


def _remover(items: list[_T], item: _T) -> Callable[[], None]:
    def remove() -> None:
        if item in items:
            items.remove(item)

    return remove


def subscribe(listener: Listener) -> Callable[[], None]:
    """Hear every change this process learns of, its own and the others'; returns the function
    that stops it."""
    _listeners.append(listener)
    return _remover(_listeners, listener)


def add_carrier(carrier: Carrier) -> Callable[[], None]:
    _carriers.append(carrier)
    return _remover(_carriers, carrier)


def carriers() -> list[Carrier]:
    return list(_carriers)


def apply(changes: Sequence[Change]) -> None:
    """Tell every listener of this process."""
    for change in changes:
        for listener in list(_listeners):
            try:
                listener(change)
            except Exception:
                # The change is committed; a failing listener must not turn it into an error.
                logger.exception("changes.listener_failed change=%s", change)
