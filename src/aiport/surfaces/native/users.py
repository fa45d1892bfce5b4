"""`/api/v1/auth/login` and `/api/v1/users`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from aiport.auth.dependencies import client_address
from aiport.surfaces.native.schemas import LoginRequest, LoginResponse
from aiport.users.dependencies import (
    InstanceAdminUserServiceDep,
    SignedOutUserServiceDep,
    UserServiceDep,
)
from aiport.users.schemas import UserCreate, UserRead

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.post("/auth/login")
async def login(
    body: LoginRequest, request: Request, users: SignedOutUserServiceDep
) -> LoginResponse:
    """A session token for an email and password (30 days); wrong either way is 401."""
    signed_in = await users.login(body.email, body.password, client_address(request))
    return LoginResponse(
        token=signed_in.token.token, expires_at=signed_in.token.expires_at, user=signed_in.user
    )


@router.get("/users/me")
async def me(users: UserServiceDep) -> UserRead:
    return await users.me()


@router.post("/users", status_code=201)
async def create_user(body: UserCreate, users: InstanceAdminUserServiceDep) -> UserRead:
    return await users.create_user(body)


@router.get("/users")
async def list_users(users: InstanceAdminUserServiceDep) -> list[UserRead]:
    return await users.list_users()
