"""`Annotated` aliases for Baserow's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.providers.service.type_settings import TypeSettingsService
from aiport.runtime import get_runtime


async def get_baserow_settings(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> TypeSettingsService:
    """The caller is authenticated first: a bad token is a 401 before any body is read."""
    return TypeSettingsService(session, get_runtime(request).keyring, principal)


CurrentBaserowSettings = Annotated[TypeSettingsService, Depends(get_baserow_settings)]
