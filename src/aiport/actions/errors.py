"""Undo/redo errors; texts are Baserow's, whose endpoints these are."""

from __future__ import annotations

from aiport.errors import BadRequest, Conflict


class ClientSessionRequired(BadRequest):
    """Undo and redo act on one client session's actions, so they need to know which."""

    code = "client_session_id_header_not_set"
    default_message = "The ClientSessionId must be set when using this endpoint."


class UndoRedoLockConflict(Conflict):
    """Another undo or redo holds the action (PostgreSQL: its row lock)."""

    code = "undo_redo_lock_conflict"
    default_message = (
        "An operation is running in the background or triggered by another user preventing "
        "your undo/redo action. Please wait until the other operation finishes."
    )
