"""`Annotated` aliases for the users service, for routes to declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from aiport.auth.dependencies import CurrentPrincipal, InstanceAdmin
from aiport.db.session import DbSession
from aiport.users.service import UserService


async def get_user_service(session: DbSession, principal: CurrentPrincipal) -> UserService:
    return UserService(session, principal)


async def get_instance_admin_user_service(session: DbSession, admin: InstanceAdmin) -> UserService:
    return UserService(session, admin)


async def get_signed_out_user_service(session: DbSession) -> UserService:
    return UserService(session)


# As the caller: their own user and tokens.
UserServiceDep = Annotated[UserService, Depends(get_user_service)]
# As an instance administrator (403 for anyone else, before the body is read).
InstanceAdminUserServiceDep = Annotated[UserService, Depends(get_instance_admin_user_service)]
# Before anyone is signed in: the password login.
SignedOutUserServiceDep = Annotated[UserService, Depends(get_signed_out_user_service)]
