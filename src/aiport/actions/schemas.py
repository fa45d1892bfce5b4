"""Actions at the domain level: their states, what undo/redo answers, and who restores what."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from aiport.workspaces.access import WorkspaceAccess

# One entry's captured state, or None for "absent" (e.g. a provider that is not live).
EntryState = dict[str, Any] | None
# A change's state by section: {"providers": {"<provider id>": {...} | None}}. An entry that
# holds secrets keeps them as captured credential rows in its `credentials` list (ciphertexts,
# never plaintext), where key rotation finds them (`credentials.undo_states`).
States = dict[str, dict[str, EntryState]]


class Restorer(Protocol):
    """Puts one section's entries back into a captured state (e.g. providers).

    It checks the caller's right to change them, as the original change did: a member who lost
    the admin role cannot undo an admin's change.
    """

    async def restore(self, access: WorkspaceAccess, states: Mapping[str, EntryState]) -> None: ...


class ResultCode(StrEnum):
    SUCCESS = "SUCCESS"
    NOTHING_TO_DO = "NOTHING_TO_DO"
    SKIPPED_DUE_TO_ERROR = "SKIPPED_DUE_TO_ERROR"


class ActionRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: str
    scope: str


class UndoRedoResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    actions: list[ActionRead]
    result_code: ResultCode


def workspace_scope(workspace_id: int) -> str:
    """Baserow's scope string for a workspace; every aiport change has this scope."""
    return f"workspace{workspace_id}"
