"""All SQL about actions. Every lookup is one user's, in one client session, not expired."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, delete, select
from sqlalchemy.exc import DBAPIError

from aiport.actions.errors import UndoRedoLockConflict
from aiport.db.repository import Repository
from aiport.db.tables import Action

# PostgreSQL's lock_not_available: FOR UPDATE NOWAIT met a row another transaction holds.
_LOCK_NOT_AVAILABLE = "55P03"


@dataclass(frozen=True)
class ActionOwner:
    """Whose actions: one user's, in one client session, optionally in one workspace only (a
    token bound to a workspace), with `scopes` (empty: every scope)."""

    user_id: int
    client_session: str
    scopes: Collection[str]
    workspace_id: int | None
    # Actions last updated before this are expired and ignored.
    cutoff: datetime


class ActionRepository(Repository):
    def _of(self, owner: ActionOwner, *, in_scope: bool = True) -> Select[Action]:
        conditions: list[ColumnElement[bool]] = [
            Action.user_id == owner.user_id,
            Action.client_session == owner.client_session,
            Action.updated_at >= owner.cutoff,
        ]
        if in_scope and owner.scopes:
            conditions.append(Action.scope.in_(list(owner.scopes)))
        if owner.workspace_id is not None:
            conditions.append(Action.workspace_id == owner.workspace_id)
        return select(Action).where(*conditions)

    async def _locked(self, query: Select[Action]) -> Sequence[Action]:
        """Rows locked until commit; one already locked is a conflict, not a wait."""
        try:
            result = await self.session.execute(query.with_for_update(nowait=True))
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise UndoRedoLockConflict() from None
            raise
        return result.scalars().all()

    async def newest_done(self, owner: ActionOwner) -> Action | None:
        """The action an undo takes: the newest one not undone."""
        query = (
            self._of(owner)
            .where(Action.undone_at.is_(None))
            .order_by(Action.created_at.desc(), Action.id.desc())
            .limit(1)
        )
        rows = await self._locked(query)
        return rows[0] if rows else None

    async def latest_undone(self, owner: ActionOwner) -> Action | None:
        """The action a redo takes: the one undone last."""
        query = (
            self._of(owner)
            .where(Action.undone_at.is_not(None))
            .order_by(Action.undone_at.desc(), Action.created_at.desc(), Action.id.desc())
            .limit(1)
        )
        rows = await self._locked(query)
        return rows[0] if rows else None

    async def group(
        self, owner: ActionOwner, group: uuid.UUID, *, undone: bool, limit: int
    ) -> Sequence[Action]:
        """A group's actions in replay order: newest first to undo, oldest first to redo."""
        query = self._of(owner, in_scope=False).where(Action.action_group == group)
        if undone:
            query = query.where(Action.undone_at.is_not(None)).order_by(
                Action.created_at, Action.id
            )
        else:
            query = query.where(Action.undone_at.is_(None)).order_by(
                Action.created_at.desc(), Action.id.desc()
            )
        return await self._locked(query.limit(limit))

    async def has_done_since(self, owner: ActionOwner, since: datetime) -> bool:
        """A change made after an undo voids the redo stack."""
        query = (
            self._of(owner).where(Action.undone_at.is_(None), Action.created_at > since).limit(1)
        )
        result = await self.session.execute(query)
        return result.scalars().first() is not None

    async def delete_older_than(self, cutoff: datetime) -> int:
        result = await self.session.execute(delete(Action).where(Action.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
