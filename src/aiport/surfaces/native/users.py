"""`/api/v1/auth/login` and `/api/v1/users`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from aiport.auth.dependencies import CurrentPrincipal, InstanceAdmin, client_address
from aiport.db.session import DbSession
from aiport.surfaces.native.schemas import LoginRequest, LoginResponse, UserRead
from aiport.users import service
from aiport.users.schemas import UserCreate

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.post("/auth/login")
async def login(body: LoginRequest, request: Request, session: DbSession) -> LoginResponse:
    """A session token for an email and password (30 days); wrong either way is 401."""
    issued = await service.login(
        session, email=body.email, password=body.password, client_address=client_address(request)
    )
    return LoginResponse(
        token=issued.plaintext,
        expires_at=issued.row.expires_at,
        user=UserRead.model_validate(issued.row.user),
    )


@router.get("/users/me")
async def me(session: DbSession, principal: CurrentPrincipal) -> UserRead:
    return UserRead.model_validate(await service.get_user(session, principal.user_id))


@router.post("/users", status_code=201)
async def create_user(body: UserCreate, session: DbSession, admin: InstanceAdmin) -> UserRead:
    user = await service.create_user(
        session,
        email=body.email,
        name=body.name,
        password=body.password,
        is_admin=body.is_admin,
        actor=admin,
    )
    return UserRead.model_validate(user)


@router.get("/users")
async def list_users(session: DbSession, _admin: InstanceAdmin) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in await service.list_users(session)]
