"""`Annotated` aliases for the caller, for routes to declare."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request

from aiport.auth.principal import Principal, authenticate, with_client_session
from aiport.auth.tokens import (
    hash_token,
    is_plausible_token,
    token_from_coder_request,
    token_from_headers,
)
from aiport.db.session import unit_of_work
from aiport.db.types import utcnow
from aiport.errors import Forbidden
from aiport.runtime import get_runtime


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def authenticate_cached(request: Request, token: str | None) -> Principal:
    """`authenticate`, answered from the runtime's identity cache when it can be (no query).

    A load runs in a unit of work of its own, so the cache can also refresh in the background.
    """
    runtime = get_runtime(request)
    address = client_address(request)

    async def load() -> Principal:
        async with unit_of_work(runtime.sessionmaker) as session:
            return await authenticate(session, token)

    if not token or not is_plausible_token(token):
        return await load()  # refused there, before any lookup, and never cached
    principal = await runtime.principals.get(hash_token(token), lambda _key: load())
    if principal.token_expires_at is not None and principal.token_expires_at <= utcnow():
        # Expired since it was cached: ask the database, which answers with the right error.
        principal = await load()
    return replace(principal, client_address=address)


async def get_principal(request: Request) -> Principal:
    """The caller of a request that carries its token in a header, with its client session."""
    principal = await authenticate_cached(request, token_from_headers(request.headers))
    return with_client_session(principal, request)


async def get_coder_principal(request: Request) -> Principal:
    """The caller, authenticated as Coder does (cookie and query parameters too)."""
    principal = await authenticate_cached(request, token_from_coder_request(request))
    return with_client_session(principal, request)


async def get_instance_admin(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this needs an instance administrator")
    return principal


# Authentication runs in units of work of its own (or from the cache) and never opens the
# request's transaction, so routes that wait on upstreams can take it too: they must simply not
# declare `DbSession` and do their database work in short units around the wait
# (`db.session.unit_of_work`), since on SQLite a held transaction is the write lock.
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
InstanceAdmin = Annotated[Principal, Depends(get_instance_admin)]
