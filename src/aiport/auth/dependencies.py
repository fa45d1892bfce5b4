"""`Annotated` aliases for the caller, for routes to declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.principal import (
    Principal,
    authenticate,
    token_from_coder_request,
    token_from_headers,
    with_client_session,
)
from aiport.db.session import DbSession
from aiport.errors import Forbidden


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def get_principal(request: Request, session: DbSession) -> Principal:
    principal = await authenticate(
        session, token_from_headers(request), client_address=client_address(request)
    )
    return with_client_session(principal, request)


async def get_coder_principal(request: Request, session: DbSession) -> Principal:
    principal = await authenticate(
        session, token_from_coder_request(request), client_address=client_address(request)
    )
    return with_client_session(principal, request)


async def get_instance_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this needs an instance administrator")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
CoderPrincipal = Annotated[Principal, Depends(get_coder_principal)]
InstanceAdmin = Annotated[Principal, Depends(get_instance_admin)]
