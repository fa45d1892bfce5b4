"""Finding a model the way Xagent does and deciding what the caller may see of it."""

from __future__ import annotations

from collections.abc import Sequence

from aiport.db.tables import Model
from aiport.models.errors import ModelNotFound, ModelNotVisible
from aiport.models.repository import ModelRepository
from aiport.models.schemas import ModelView, storable
from aiport.workspaces.access import WorkspaceAccess

# Integer primary keys are 32-bit on every dialect; a longer number is a `model_id`, not a pk.
MAX_PK = 2_147_483_647


def is_visible(model: Model, user_id: int) -> bool:
    """Own models and the ones shared with the workspace. No admin override (spec M12)."""
    return model.owner_user_id == user_id or model.is_shared


async def find_model(models: ModelRepository, access: WorkspaceAccess, ident: str) -> Model:
    """Xagent's three-step lookup within the workspace: numeric pk, `model_id`, `model_name`.

    An identifier that resolves to a model the caller may not see is "not found or access
    denied"; one that resolves to nothing is "not found".
    """
    workspace_id, user_id = access.workspace_id, access.principal.user_id
    if not storable(ident):
        raise ModelNotFound()
    model = None
    if ident.isascii() and ident.isdigit() and int(ident) <= MAX_PK:
        model = await models.get(workspace_id, int(ident))
    if model is None:
        model = await models.get_by_model_id(workspace_id, ident)
    if model is None:
        model = await models.first_by_model_name(workspace_id, ident, user_id)
    if model is None:
        raise ModelNotFound()
    if not is_visible(model, user_id):
        raise ModelNotVisible()
    return model


async def views_of(
    models: ModelRepository, rows: Sequence[Model], caller_id: int
) -> list[ModelView]:
    """Rows as the caller sees them, with the name of the provider each draws keys from."""
    providers = await models.providers_by_id([r.provider_id for r in rows if r.provider_id])
    return [
        ModelView(
            row=row,
            caller_id=caller_id,
            key_provider=providers[row.provider_id].name if row.provider_id in providers else None,
        )
        for row in rows
    ]


async def view_of(models: ModelRepository, row: Model, caller_id: int) -> ModelView:
    return (await views_of(models, [row], caller_id))[0]
