"""`Annotated` aliases for Baserow's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.runtime import get_runtime
from aiport.surfaces.baserow.settings import BaserowSettings


async def get_baserow_settings(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> BaserowSettings:
    """The caller is authenticated first: a bad token is a 401 before any body is read."""
    return BaserowSettings(session, get_runtime(request).keyring, principal)


CurrentBaserowSettings = Annotated[BaserowSettings, Depends(get_baserow_settings)]
