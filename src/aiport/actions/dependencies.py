"""`Annotated` aliases that hand routes an `UndoRedoService` with every domain's restorer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.actions.service import UndoRedoService
from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.models.service.restoring import DefaultRestorer, ModelRestorer
from aiport.models.snapshots import DEFAULTS, MODELS
from aiport.providers.snapshots import ProviderRestorer
from aiport.runtime import get_runtime


async def get_undo_redo_service(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> UndoRedoService:
    return UndoRedoService(
        session,
        get_runtime(request).keyring,
        principal,
        restorers={
            "providers": ProviderRestorer(session),
            MODELS: ModelRestorer(session),
            DEFAULTS: DefaultRestorer(session),
        },
    )


CurrentUndoRedo = Annotated[UndoRedoService, Depends(get_undo_redo_service)]
