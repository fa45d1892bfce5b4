"""Recording changes as Actions, and undoing and redoing them, Baserow's way.

An Action holds the state of what it changed before and after, sealed whole by the key ring
(the snapshots inside may hold credential ciphertexts; never a secret in clear). Undo restores
the before state, redo the after state, each in a SAVEPOINT: a replay that fails is rolled back
and recorded on the action (`SKIPPED_DUE_TO_ERROR`), and the next undo moves past it.
Nothing here commits.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.errors import ClientSessionRequired
from aiport.actions.repository import ActionOwner, ActionRepository
from aiport.actions.schemas import (
    ActionRead,
    EntryState,
    Restorer,
    ResultCode,
    States,
    UndoRedoResult,
    workspace_scope,
)
from aiport.audit.service import AuditService
from aiport.auth.principal import Principal
from aiport.credentials.sealing import open_state, seal_state
from aiport.db.tables import Action
from aiport.db.types import utcnow
from aiport.errors import AppError
from aiport.vault import KeyRing, UndecryptableSecret
from aiport.workspaces.access import resolve_workspace

logger = logging.getLogger("aiport.actions")

# Baserow's MINUTES_UNTIL_ACTION_CLEANED_UP and MAX_UNDOABLE_ACTIONS_PER_ACTION_GROUP.
RETENTION = timedelta(minutes=120)
MAX_GROUP_SIZE = 20


class ActionRecorder:
    """Writes an Action for a change made in a client session; other changes are not recorded."""

    def __init__(self, session: AsyncSession, keyring: KeyRing):
        self.keyring = keyring
        self.repository = ActionRepository(session)

    async def record(
        self,
        principal: Principal,
        *,
        workspace_id: int,
        action_type: str,
        before: States,
        after: States,
    ) -> Action | None:
        """In the change's transaction, so it lands only if the change does. Both sides get the
        same entries (absent ones as None), so either side alone can be restored."""
        if principal.client_session_id is None:
            return None
        now = utcnow()
        action = Action(
            id=uuid.uuid4(),
            user_id=principal.user_id,
            workspace_id=workspace_id,
            client_session=principal.client_session_id,
            action_group=principal.action_group_id,
            type=action_type,
            scope=workspace_scope(workspace_id),
            created_at=now,
            updated_at=now,
        )
        for side, states in (
            ("before", _complete(before, after)),
            ("after", _complete(after, before)),
        ):
            seal_state(self.keyring, action, side, orjson.dumps(states).decode())
        await self.repository.add(action)
        return action


class UndoRedoService:
    """One caller's undo and redo, within their client session."""

    def __init__(
        self,
        session: AsyncSession,
        keyring: KeyRing,
        principal: Principal,
        restorers: Mapping[str, Restorer],
    ):
        self.session = session
        self.keyring = keyring
        self.principal = principal
        self.restorers = restorers
        self.repository = ActionRepository(session)

    def _owner(self, scopes: Collection[str], now: datetime) -> ActionOwner:
        if self.principal.client_session_id is None:
            raise ClientSessionRequired()
        return ActionOwner(
            user_id=self.principal.user_id,
            client_session=self.principal.client_session_id,
            scopes=scopes,
            workspace_id=self.principal.token_workspace_id,
            cutoff=now - RETENTION,
        )

    async def undo(self, scopes: Collection[str], *, now: datetime | None = None) -> UndoRedoResult:
        """Undo the newest action (or its whole group) of the session in `scopes` (empty: all)."""
        now = now or utcnow()
        owner = self._owner(scopes, now)
        first = await self.repository.newest_done(owner)
        if first is None:
            return UndoRedoResult(actions=[], result_code=ResultCode.NOTHING_TO_DO)
        actions: Sequence[Action] = [first]
        if first.action_group is not None:
            actions = await self.repository.group(
                owner, first.action_group, undone=False, limit=MAX_GROUP_SIZE
            )
        error = await self._replay(actions, "before", "undo")
        for action in actions:
            action.undone_at, action.updated_at, action.error = now, now, error
        await self.repository.flush()
        return _result(actions)

    async def redo(self, scopes: Collection[str], *, now: datetime | None = None) -> UndoRedoResult:
        """Redo what was undone last, unless a change made since has voided the redo stack.

        An action whose undo failed is only marked done again: nothing was undone to redo.
        """
        now = now or utcnow()
        owner = self._owner(scopes, now)
        last = await self.repository.latest_undone(owner)
        if last is None:
            return UndoRedoResult(actions=[], result_code=ResultCode.NOTHING_TO_DO)
        actions: Sequence[Action] = [last]
        if last.action_group is not None:
            actions = await self.repository.group(
                owner, last.action_group, undone=True, limit=MAX_GROUP_SIZE
            )
        undone_at = max(a.undone_at for a in actions if a.undone_at is not None)
        if await self.repository.has_done_since(owner, undone_at):
            return UndoRedoResult(actions=[], result_code=ResultCode.NOTHING_TO_DO)
        if not any(a.error for a in actions):
            error = await self._replay(actions, "after", "redo")
            for action in actions:
                action.error = error
        for action in actions:
            action.undone_at, action.updated_at = None, now
        await self.repository.flush()
        return _result(actions)

    async def _replay(self, actions: Sequence[Action], side: str, verb: str) -> str | None:
        """Restore each action's `side` state, all or nothing; the failure's text, if any."""
        try:
            async with self.session.begin_nested():
                for action in actions:
                    await self._restore(action, side)
                    await AuditService(self.session, self.principal).record(
                        action=f"action.{verb}",
                        target_type="action",
                        target_id=str(action.id),
                        workspace_id=action.workspace_id,
                        diff={"type": action.type, "scope": action.scope},
                    )
        except Exception as failure:
            reason = _describe(failure)
            logger.warning(
                "actions.%s.failed user_id=%s action_ids=%s reason=%s",
                verb,
                self.principal.user_id,
                ",".join(str(a.id) for a in actions),
                reason,
            )
            return reason
        return None

    async def _restore(self, action: Action, side: str) -> None:
        sealed = action.before_state if side == "before" else action.after_state
        if sealed is None or action.workspace_id is None:
            return
        plaintext = open_state(self.keyring, action, side, sealed)
        if plaintext is None:
            # A lost key refuses the replay; the failure is recorded on the action.
            raise UndecryptableSecret("the undo state cannot be decrypted with the configured keys")
        states: States = orjson.loads(plaintext)
        access = await resolve_workspace(
            self.session, self.principal, requested_id=action.workspace_id
        )
        for section, entries in states.items():
            await self.restorers[section].restore(access, entries)


async def purge_expired(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Delete actions not updated for `RETENTION`: they can no longer be undone."""
    return await ActionRepository(session).delete_older_than((now or utcnow()) - RETENTION)


def _complete(side: States, other: States) -> States:
    """`side` with every entry `other` names, absent ones as None."""
    complete: States = {}
    for section in {*side, *other}:
        entries: dict[str, EntryState] = dict.fromkeys(other.get(section, {}))
        entries.update(side.get(section, {}))
        complete[section] = entries
    return complete


def _describe(failure: Exception) -> str:
    """Why a replay failed, without statement parameters (they may hold ciphertexts)."""
    if isinstance(failure, AppError):
        return f"{failure.code}: {failure.message}"
    if isinstance(failure, DBAPIError):
        return f"{type(failure).__name__}: {failure.orig}"
    return type(failure).__name__


def _result(actions: Sequence[Action]) -> UndoRedoResult:
    code = ResultCode.SKIPPED_DUE_TO_ERROR if actions[0].error else ResultCode.SUCCESS
    return UndoRedoResult(
        actions=[ActionRead(type=a.type, scope=a.scope) for a in actions], result_code=code
    )
