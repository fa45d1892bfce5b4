"""`/api/v1/tokens`: the caller's API tokens. The token itself appears only in the 201."""

from __future__ import annotations

from fastapi import APIRouter, Response

from aiport.surfaces.native.dependencies import PathId
from aiport.surfaces.native.schemas import TokenCreate
from aiport.users.dependencies import UserServiceDep
from aiport.users.schemas import TokenIssued, TokenRead

router = APIRouter(prefix="/api/v1", tags=["tokens"])


@router.post("/tokens", status_code=201)
async def create_token(body: TokenCreate, users: UserServiceDep) -> TokenIssued:
    return await users.create_token(
        body.name, workspace_id=body.workspace_id, expires_at=body.expires_at, user_id=body.user_id
    )


@router.get("/tokens")
async def list_tokens(users: UserServiceDep) -> list[TokenRead]:
    return await users.list_tokens()


@router.delete("/tokens/{token_id}", status_code=204)
async def delete_token(token_id: PathId, users: UserServiceDep) -> Response:
    await users.delete_token(token_id)
    return Response(status_code=204)
