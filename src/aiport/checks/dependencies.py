"""`Annotated` aliases for the check and model routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.dependencies import client_address
from aiport.auth.principal import Principal, authenticate, token_from_headers
from aiport.checks.service import CheckService
from aiport.runtime import get_runtime


async def get_principal_briefly(request: Request) -> Principal:
    """The caller, authenticated in a unit of work of its own that ends before the route runs.

    Routes that wait on upstreams must not hold a database transaction meanwhile (on SQLite,
    the write lock), so they take this instead of `CurrentPrincipal` and its request session.
    """
    async with get_runtime(request).sessionmaker() as session, session.begin():
        return await authenticate(
            session, token_from_headers(request), client_address=client_address(request)
        )


def get_check_service(request: Request) -> CheckService:
    runtime = get_runtime(request)
    return CheckService(
        runtime.sessionmaker, runtime.keyring, runtime.adapters, runtime.http, runtime.settings
    )


BriefPrincipal = Annotated[Principal, Depends(get_principal_briefly)]
Checks = Annotated[CheckService, Depends(get_check_service)]
