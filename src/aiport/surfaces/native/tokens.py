"""`/api/v1/tokens`: the caller's API tokens. The token itself appears only in the 201."""

from __future__ import annotations

from fastapi import APIRouter, Response

from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.surfaces.native.dependencies import PathId
from aiport.surfaces.native.schemas import TokenCreate, TokenIssued, TokenRead
from aiport.users import service

router = APIRouter(prefix="/api/v1", tags=["tokens"])


@router.post("/tokens", status_code=201)
async def create_token(
    body: TokenCreate, session: DbSession, principal: CurrentPrincipal
) -> TokenIssued:
    issued = await service.create_token(
        session,
        principal,
        name=body.name,
        workspace_id=body.workspace_id,
        expires_at=body.expires_at,
        user_id=body.user_id,
    )
    read = TokenRead.model_validate(issued.row)
    return TokenIssued(**read.model_dump(), token=issued.plaintext)


@router.get("/tokens")
async def list_tokens(session: DbSession, principal: CurrentPrincipal) -> list[TokenRead]:
    return [TokenRead.model_validate(t) for t in await service.list_tokens(session, principal)]


@router.delete("/tokens/{token_id}", status_code=204)
async def delete_token(
    token_id: PathId, session: DbSession, principal: CurrentPrincipal
) -> Response:
    await service.delete_token(session, principal, token_id)
    return Response(status_code=204)
