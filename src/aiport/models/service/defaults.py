"""Each user's default model per slot (`config_type`), as Xagent keeps them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.service import ActionRecorder
from aiport.audit.service import AuditService
from aiport.db.tables import Model, ModelDefault
from aiport.db.types import utcnow
from aiport.models import catalog
from aiport.models.errors import (
    ConfigTypeIncompatible,
    DefaultNotFound,
    ModelNotFound,
    ModelNotVisible,
)
from aiport.models.repository import ModelRepository
from aiport.models.schemas import SLOTS, ModelDefaultRead, ModelDefaultView, ModelView
from aiport.models.service.access import MAX_PK, is_visible, view_of, views_of
from aiport.models.snapshots import DEFAULTS, DefaultSnapshot, capture_default, default_key
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess


def fits(model: Model, config_type: str) -> bool:
    slot = SLOTS[config_type]
    return model.category == slot.category and (
        slot.ability is None or slot.ability in (model.abilities or [])
    )


async def slot_model(
    models: ModelRepository, access: WorkspaceAccess, model_pk: int, config_type: str
) -> Model:
    """The model a caller may put in a slot: active, visible to them, and fitting the slot's
    category (and ability). Undo and redo of a default go through the same rule."""
    model = await models.get(access.workspace_id, model_pk) if 0 < model_pk <= MAX_PK else None
    if model is None or not model.is_active:
        raise ModelNotFound()
    if not is_visible(model, access.principal.user_id):
        raise ModelNotVisible()
    slot = SLOTS[config_type]
    if model.category != slot.category:
        raise ConfigTypeIncompatible(
            f"Config type '{config_type}' is incompatible with model category '{model.category}'"
        )
    if not fits(model, config_type):
        raise ConfigTypeIncompatible(
            f"Config type '{config_type}' needs a model with the '{slot.ability}' ability"
        )
    return model


class ModelDefaultService:
    """Defaults are per user and workspace; a user without one falls back to an admin's."""

    def __init__(self, session: AsyncSession, keyring: KeyRing):
        self.session = session
        self.models = ModelRepository(session)
        self.actions = ActionRecorder(session, keyring)

    async def set(
        self, access: WorkspaceAccess, model_pk: int, config_type: str
    ) -> ModelDefaultRead:
        """Point a slot at a model the caller can see; the slot's category (and ability) must fit."""
        user_id = access.principal.user_id
        model = await slot_model(self.models, access, model_pk, config_type)
        row = await self.models.get_default(access.workspace_id, user_id, config_type)
        before = await self._capture(access, row)
        if row is None:
            row = await self.models.add_default(
                ModelDefault(
                    workspace_id=access.workspace_id,
                    user_id=user_id,
                    config_type=config_type,
                    model_id=model.id,
                )
            )
        else:
            row.model_id, row.updated_at = model.id, utcnow()
            await self.models.flush()
        await self._changed(
            access,
            "model.default.set",
            config_type,
            model.model_id,
            before,
            capture_default(row, model),
        )
        return ModelDefaultRead.of(row)

    async def get(self, access: WorkspaceAccess, config_type: str) -> ModelDefaultRead | None:
        row = await self._own(access, config_type)
        return ModelDefaultRead.of(row) if row is not None else None

    async def delete(self, access: WorkspaceAccess, config_type: str) -> None:
        row = await self._own(access, config_type)
        if row is None:
            raise DefaultNotFound()
        before = await self._capture(access, row)
        await self.models.delete_default(row)
        await self._changed(access, "model.default.delete", config_type, None, before, None)

    async def list_defaults(self, access: WorkspaceAccess) -> list[ModelDefaultView]:
        """The caller's defaults, then for slots they left empty the first admin's default on a
        shared model, so a new member starts with the team's choices."""
        user_id = access.principal.user_id
        own = await self.models.list_defaults(access.workspace_id, [user_id])
        chosen = {row.config_type: (row, model) for row, model in own}
        admins = [a for a in await self.models.admin_ids(access.workspace_id) if a != user_id]
        if admins:
            for row, model in await self.models.list_defaults(access.workspace_id, admins):
                if row.config_type not in chosen and model.is_shared:
                    chosen[row.config_type] = (row, model)
        pairs = sorted(chosen.values(), key=lambda pair: (pair[0].user_id != user_id, pair[0].id))
        views = await views_of(self.models, [model for _, model in pairs], user_id)
        return [
            ModelDefaultView(ModelDefaultRead.of(row), view)
            for (row, _), view in zip(pairs, views, strict=True)
        ]

    async def model_for_slot(self, access: WorkspaceAccess, config_type: str) -> ModelView | None:
        """The default for a slot (own, else an admin's), else the first visible model that fits."""
        for entry in await self.list_defaults(access):
            if entry.default.config_type == config_type:
                return entry.model
        for model in await self.models.list_active_visible(
            access.workspace_id, access.principal.user_id
        ):
            if fits(model, config_type):
                return await view_of(self.models, model, access.principal.user_id)
        return None

    async def model_for_provider(
        self, access: WorkspaceAccess, model_provider: str
    ) -> ModelView | None:
        """The first active model the caller can see from this provider."""
        wanted = catalog.normalize_provider(model_provider)
        for model in await self.models.list_active_visible(
            access.workspace_id, access.principal.user_id
        ):
            if model.model_provider == wanted:
                return await view_of(self.models, model, access.principal.user_id)
        return None

    async def _own(self, access: WorkspaceAccess, config_type: str) -> ModelDefault | None:
        return await self.models.get_default(
            access.workspace_id, access.principal.user_id, config_type
        )

    async def _capture(
        self, access: WorkspaceAccess, row: ModelDefault | None
    ) -> DefaultSnapshot | None:
        model = await self.models.get(access.workspace_id, row.model_id) if row else None
        return capture_default(row, model)

    async def _changed(
        self,
        access: WorkspaceAccess,
        action: str,
        config_type: str,
        model_id: str | None,
        before: DefaultSnapshot | None,
        after: DefaultSnapshot | None,
    ) -> None:
        """Every change passes here: its audit event and, in a client session, its Action."""
        key = default_key(access.principal.user_id, config_type)
        await self.actions.record(
            access.principal,
            workspace_id=access.workspace_id,
            action_type=action,
            before={DEFAULTS: {key: before}},
            after={DEFAULTS: {key: after}},
        )
        await AuditService(self.session, access.principal).record(
            action=action,
            target_type="model_default",
            target_id=config_type,
            workspace_id=access.workspace_id,
            diff={"config_type": config_type, "model_id": model_id},
        )
