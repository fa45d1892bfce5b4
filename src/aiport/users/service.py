"""People, their tokens, and the first administrator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.service import record
from aiport.auth.passwords import hash_password, verify_password
from aiport.auth.principal import Principal
from aiport.auth.tokens import generate_token, hash_token, token_prefix
from aiport.db.tables import Membership, Token, User, Workspace
from aiport.db.types import utcnow
from aiport.users.errors import (
    EmailTaken,
    NotInstanceAdmin,
    TokenNotFound,
    UserNotFound,
    WrongCredentials,
)
from aiport.users.repository import TokenRepository, UserRepository
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.repository import WorkspaceRepository

BOOTSTRAP_EMAIL = "admin@localhost"
DEFAULT_WORKSPACE_NAME = "Default"
# A password login is a session, not a deployment credential: it ends on its own.
LOGIN_TOKEN_LIFETIME = timedelta(days=30)


@dataclass(frozen=True)
class IssuedToken:
    """A token row and its plaintext, which exists only in this object and the response."""

    row: Token
    plaintext: str


def normalize_email(email: str) -> str:
    """One spelling per address, so `Ann@Example.com` and `ann@example.com` are one user."""
    return email.strip().lower()


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password: str | None = None,
    is_admin: bool = False,
    actor: Principal | None = None,
) -> User:
    """Create a person; audited without the password. `actor` is None for the command line."""
    email = normalize_email(email)
    users = UserRepository(session)
    if await users.get_by_email(email) is not None:
        raise EmailTaken(email)
    try:
        async with session.begin_nested():
            user = await users.add(
                User(
                    email=email,
                    name=name,
                    password_hash=hash_password(password) if password else None,
                    is_admin=is_admin,
                )
            )
    except IntegrityError:
        raise EmailTaken(email) from None
    await record(
        session,
        actor,
        action="user.create",
        target_type="user",
        target_id=str(user.id),
        diff={"email": email, "name": name, "is_admin": is_admin, "has_password": bool(password)},
    )
    return user


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await UserRepository(session).get(user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


async def get_user_by_email(session: AsyncSession, email: str) -> User:
    user = await UserRepository(session).get_by_email(normalize_email(email))
    if user is None:
        raise UserNotFound(email)
    return user


async def list_users(session: AsyncSession) -> Sequence[User]:
    return await UserRepository(session).list()


async def issue_token(
    session: AsyncSession,
    user: User,
    *,
    name: str,
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
    plaintext: str | None = None,
    actor: Principal | None = None,
) -> IssuedToken:
    """Make a token; `plaintext` is given only for the bootstrap token, which the operator chose."""
    issued = await _add_token(
        session,
        user,
        name=name,
        workspace_id=workspace_id,
        expires_at=expires_at,
        plaintext=plaintext,
    )
    await _record_token_created(session, actor, issued.row)
    return issued


async def _add_token(
    session: AsyncSession,
    user: User,
    *,
    name: str,
    workspace_id: int | None,
    expires_at: datetime | None,
    plaintext: str | None = None,
) -> IssuedToken:
    value = plaintext or generate_token()
    row = await TokenRepository(session).add(
        Token(
            user_id=user.id,
            user=user,
            name=name,
            prefix=token_prefix(value),
            token_hash=hash_token(value),
            workspace_id=workspace_id,
            expires_at=expires_at,
        )
    )
    return IssuedToken(row=row, plaintext=value)


async def _record_token_created(session: AsyncSession, actor: Principal | None, row: Token) -> None:
    # The token is named by id and name only: neither the token nor its prefix is recorded.
    await record(
        session,
        actor,
        action="token.create",
        target_type="token",
        target_id=str(row.id),
        workspace_id=row.workspace_id,
        diff={
            "name": row.name,
            "user_id": row.user_id,
            "workspace_id": row.workspace_id,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
    )


async def create_token(
    session: AsyncSession,
    principal: Principal,
    *,
    name: str,
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
    user_id: int | None = None,
) -> IssuedToken:
    """A token for the caller, or for anyone when the caller is an instance admin.

    A token bound to a workspace can only mint tokens bound to that same workspace (it
    could otherwise escape its binding), and a token can only be bound to a workspace its
    owner is a member of; anything else is "workspace not found", as for a non-member.
    """
    owner_id = principal.user_id if user_id is None else user_id
    if owner_id != principal.user_id and not principal.is_admin:
        raise NotInstanceAdmin("only an instance administrator may create another user's tokens")
    if principal.token_workspace_id is not None:
        if workspace_id is None:
            workspace_id = principal.token_workspace_id
        elif workspace_id != principal.token_workspace_id:
            raise WorkspaceNotFound(workspace_id)
    owner = await get_user(session, owner_id)
    return await create_token_for(
        session, owner, name=name, workspace_id=workspace_id, expires_at=expires_at, actor=principal
    )


async def create_token_for(
    session: AsyncSession,
    owner: User,
    *,
    name: str,
    workspace_id: int | None = None,
    expires_at: datetime | None = None,
    actor: Principal | None = None,
) -> IssuedToken:
    """A token of `owner`'s, bound only to a workspace they are a member of."""
    if (
        workspace_id is not None
        and await WorkspaceRepository(session).get_membership(workspace_id, owner.id) is None
    ):
        raise WorkspaceNotFound(workspace_id)
    return await issue_token(
        session, owner, name=name, workspace_id=workspace_id, expires_at=expires_at, actor=actor
    )


async def list_tokens(session: AsyncSession, principal: Principal) -> Sequence[Token]:
    return await TokenRepository(session).list_for_user(principal.user_id)


async def delete_token(session: AsyncSession, principal: Principal, token_id: int) -> None:
    """Revoke one of the caller's own tokens; anyone else's is "not found"."""
    tokens = TokenRepository(session)
    row = await tokens.get_for_user(token_id, principal.user_id)
    if row is None:
        raise TokenNotFound(token_id)
    workspace_id, name = row.workspace_id, row.name
    await tokens.delete(row)
    await record(
        session,
        principal,
        action="token.delete",
        target_type="token",
        target_id=str(token_id),
        workspace_id=workspace_id,
        diff={"name": name},
    )


async def login(
    session: AsyncSession, *, email: str, password: str, client_address: str = ""
) -> IssuedToken:
    """Trade an email and password for a session token that expires on its own."""
    user = await UserRepository(session).get_by_email(normalize_email(email))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise WrongCredentials()
    issued = await _add_token(
        session,
        user,
        name="login",
        workspace_id=None,
        expires_at=utcnow() + LOGIN_TOKEN_LIFETIME,
    )
    actor = Principal(
        user_id=user.id,
        email=user.email,
        is_admin=user.is_admin,
        token_id=issued.row.id,
        token_workspace_id=None,
        client_address=client_address,
    )
    await record(
        session,
        actor,
        action="user.login",
        target_type="user",
        target_id=str(user.id),
        diff={"token_id": issued.row.id},
    )
    await _record_token_created(session, actor, issued.row)
    return issued


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
