"""People, their tokens, and the first administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.passwords import hash_password, verify_password
from aiport.auth.tokens import generate_token, hash_token, token_prefix
from aiport.db.tables import Membership, Token, User, Workspace
from aiport.users.errors import EmailTaken, WrongCredentials
from aiport.users.repository import TokenRepository, UserRepository
from aiport.workspaces.repository import WorkspaceRepository

BOOTSTRAP_EMAIL = "admin@localhost"
DEFAULT_WORKSPACE_NAME = "Default"


@dataclass(frozen=True)
class IssuedToken:
    """A token row and its plaintext, which exists only in this object and the response."""

    row: Token
    plaintext: str


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password: str | None = None,
    is_admin: bool = False,
) -> User:
    users = UserRepository(session)
    if await users.get_by_email(email) is not None:
        raise EmailTaken(email)
    try:
        async with session.begin_nested():
            return await users.add(
                User(
                    email=email,
                    name=name,
                    password_hash=hash_password(password) if password else None,
                    is_admin=is_admin,
                )
            )
    except IntegrityError:
        raise EmailTaken(email) from None


async def issue_token(
    session: AsyncSession,
    user: User,
    *,
    name: str,
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
    plaintext: str | None = None,
) -> IssuedToken:
    """Make a token; `plaintext` is given only for the bootstrap token, which the operator chose."""
    value = plaintext or generate_token()
    row = await TokenRepository(session).add(
        Token(
            user_id=user.id,
            name=name,
            prefix=token_prefix(value),
            token_hash=hash_token(value),
            workspace_id=workspace_id,
            expires_at=expires_at,
        )
    )
    return IssuedToken(row=row, plaintext=value)


async def login(session: AsyncSession, *, email: str, password: str) -> IssuedToken:
    user = await UserRepository(session).get_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise WrongCredentials()
    return await issue_token(session, user, name="login")


async def bootstrap(session: AsyncSession, configured_token: str) -> str | None:
    """On a store with no admin: create `admin@localhost`, its token and workspace 1 "Default".

    Returns the token to print when it was generated here (shown once), else None.
    """
    users = UserRepository(session)
    if await users.count_admins() > 0:
        return None
    admin = await users.get_by_email(BOOTSTRAP_EMAIL)
    if admin is None:
        admin = await users.add(User(email=BOOTSTRAP_EMAIL, name="Administrator", is_admin=True))
    else:
        admin.is_admin = True
    issued = await issue_token(session, admin, name="bootstrap", plaintext=configured_token or None)
    workspaces = WorkspaceRepository(session)
    workspace = await workspaces.get(1)
    if workspace is None:
        # No explicit id: on a fresh store this is id 1, and PostgreSQL's sequence stays in step.
        workspace = await workspaces.add(Workspace(name=DEFAULT_WORKSPACE_NAME))
    await workspaces.put_membership(
        Membership(workspace_id=workspace.id, user_id=admin.id, role="admin")
    )
    return None if configured_token else issued.plaintext
