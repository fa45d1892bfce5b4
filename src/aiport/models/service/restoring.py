"""Putting models and default models back into a captured state: what undo and redo replay.

The rules of the change being replayed hold again: only the owner changes a model, only a
workspace admin makes one shared, a model that is its owner's default is not deleted or
un-shared, and a default points only at a model its user may use in that slot. A rule that no
longer holds fails the replay (`SKIPPED_DUE_TO_ERROR`) instead of forcing the old state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.changes.hooks import mark
from aiport.changes.kinds import ModelChanged
from aiport.db.rows import load_row
from aiport.db.tables import Credential, Model, ModelDefault
from aiport.db.types import utcnow
from aiport.models.errors import (
    ModelIsDefault,
    ModelNotFound,
    ModelRestoreConflict,
    NotModelOwner,
    SharingNotAllowed,
)
from aiport.models.repository import ModelRepository
from aiport.models.service.defaults import slot_model
from aiport.models.snapshots import (
    CREDENTIAL_LINKS,
    DefaultSnapshot,
    ModelSnapshot,
    parse_default_key,
    parse_model_key,
)
from aiport.workspaces.access import WorkspaceAccess


async def _insert_default(
    models: ModelRepository, access: WorkspaceAccess, model: Model, state: dict[str, Any]
) -> None:
    """A captured default row back, under its own id unless another row has taken it since."""
    row = ModelDefault(model_id=model.id)
    taken = await models.default_id_taken(state["id"])
    load_row(row, state, exclude={"model_id", "id"} if taken else {"model_id"})
    row.workspace_id = access.workspace_id
    await models.add_default(row)


class ModelRestorer:
    """The `models` section: each model made what its state says, in the request's transaction."""

    def __init__(self, session: AsyncSession):
        self.session = session
        self.models = ModelRepository(session)

    async def restore(
        self, access: WorkspaceAccess, states: Mapping[str, ModelSnapshot | None]
    ) -> None:
        """Removals first, so a `model_id` one frees can be taken by another."""
        mark(self.session, ModelChanged(access.workspace_id))
        ordered = sorted(states.items(), key=lambda item: item[1] is not None)
        for key, state in ordered:
            pk, created_at = parse_model_key(key)
            if state is None:
                await self._remove(access, pk, created_at)
            else:
                await self._put(access, pk, created_at, state)

    async def _remove(self, access: WorkspaceAccess, pk: int, created_at: datetime) -> None:
        model = await self.models.get(access.workspace_id, pk)
        if model is None or model.created_at != created_at:
            return  # gone already; a row under a reused key is another model
        if model.owner_user_id != access.principal.user_id:
            raise NotModelOwner("No permission to delete this model")
        if await self.models.is_default_of(model.id, model.owner_user_id):
            raise ModelIsDefault(
                "Cannot delete: you have this model as your default. Change default first."
            )
        await self.models.delete(model)

    async def _put(
        self, access: WorkspaceAccess, pk: int, created_at: datetime, state: ModelSnapshot
    ) -> None:
        owner_id = access.principal.user_id
        if state["owner_user_id"] != owner_id:
            raise NotModelOwner("No permission to edit this model")
        model = await self.models.get_any(pk)
        # SQLite hands a freed primary key to the next new row: that row is another model.
        if model is not None and (
            model.workspace_id != access.workspace_id or model.created_at != created_at
        ):
            raise ModelRestoreConflict(state["model_id"])
        holder = await self.models.get_by_model_id(access.workspace_id, state["model_id"])
        if holder is not None and holder.id != pk:
            raise ModelRestoreConflict(state["model_id"])
        was_shared = model is not None and model.is_shared
        if state["is_shared"] and not was_shared and not access.is_admin:
            raise SharingNotAllowed("Only administrators can enable global sharing")
        if was_shared and not state["is_shared"]:
            if await self.models.is_default_of(pk, owner_id):
                raise ModelIsDefault(
                    "Cannot un-share: you have this model as your default. Change default first."
                )
            await self.models.delete_defaults_of_others(pk, owner_id)
        if model is None:
            model = Model(id=pk)
            load_row(model, state, exclude={"id"})
            model.workspace_id = access.workspace_id
            await self.models.add(model)
        else:
            load_row(model, state, exclude={"id", "workspace_id"})
        model.updated_at = utcnow()
        await self.models.flush()
        await self._credentials(model, state.get("credentials", []))
        if "defaults" in state:
            await self._defaults(access, model, state["defaults"])

    async def _credentials(self, model: Model, states: Sequence[dict[str, Any]]) -> None:
        """The captured credential rows under their own ids, so their ciphertexts decrypt; one
        still stored with the same secret keeps its ciphertext (a rotation may have re-wrapped
        it since)."""
        current = {c.id: c for c in await self.models.own_credentials(model.id)}
        wanted = {uuid.UUID(s["id"]) for s in states}
        for stale in [c for c in current.values() if c.id not in wanted]:
            await self.models.delete_credential(stale)
        for state in states:
            credential_id = uuid.UUID(state["id"])
            credential = current.get(credential_id)
            same_secret = credential is not None and credential.fingerprint == state["fingerprint"]
            kept = {"ciphertext", "key_id"} if same_secret else set()
            exclude = {*CREDENTIAL_LINKS, "id", *kept}
            if credential is None:
                credential = Credential(id=credential_id, model_id=model.id)
                load_row(credential, state, exclude=exclude)
                await self.models.add_credential(credential)
            else:
                load_row(credential, state, exclude=exclude)
        await self.models.flush()

    async def _defaults(
        self, access: WorkspaceAccess, model: Model, states: Sequence[dict[str, Any]]
    ) -> None:
        """Bring back the defaults the change removed, for users still in the workspace, where
        the slot is still free: a choice a user made since is theirs and stays."""
        members = await self.models.member_ids(access.workspace_id, [s["user_id"] for s in states])
        for state in states:
            user_id = state["user_id"]
            if user_id not in members or not (model.is_shared or user_id == model.owner_user_id):
                continue
            if await self.models.get_default(access.workspace_id, user_id, state["config_type"]):
                continue
            await _insert_default(self.models, access, model, state)


class DefaultRestorer:
    """The `model_defaults` section: the caller's own default per slot."""

    def __init__(self, session: AsyncSession):
        self.models = ModelRepository(session)

    async def restore(
        self, access: WorkspaceAccess, states: Mapping[str, DefaultSnapshot | None]
    ) -> None:
        for key, state in states.items():
            user_id, config_type = parse_default_key(key)
            if user_id != access.principal.user_id:
                raise NotModelOwner("No permission to change another user's default model")
            row = await self.models.get_default(access.workspace_id, user_id, config_type)
            if state is None:
                if row is not None:
                    await self.models.delete_default(row)
                continue
            model = await slot_model(self.models, access, state["model_id"], config_type)
            created_at = state.get("model_created_at")
            if created_at and datetime.fromisoformat(created_at) != model.created_at:
                raise ModelNotFound()  # the model is gone; its freed id names another now
            if row is not None:
                row.model_id, row.updated_at = model.id, utcnow()
                await self.models.flush()
                continue
            await _insert_default(self.models, access, model, state)
