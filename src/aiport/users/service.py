"""People, their tokens, and the first administrator."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.service import AuditService
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
from aiport.users.schemas import Login, TokenIssued, TokenRead, UserCreate, UserRead
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.repository import WorkspaceRepository

BOOTSTRAP_EMAIL = "admin@localhost"
DEFAULT_WORKSPACE_NAME = "Default"
# A password login is a session, not a deployment credential: it ends on its own.
LOGIN_TOKEN_LIFETIME = timedelta(days=30)


def normalize_email(email: str) -> str:
    """One spelling per address, so `Ann@Example.com` and `ann@example.com` are one user."""
    return email.strip().lower()


class UserService:
    """Users and their tokens, as `actor` may see and change them.

    `actor` is None where no one is signed in: the command line (the operator, who may do
    anything), the first start, and a password login (until it succeeds).
    """

    def __init__(self, session: AsyncSession, actor: Principal | None = None):
        self.session = session
        self.actor = actor
        self.users = UserRepository(session)
        self.tokens = TokenRepository(session)
        self.workspaces = WorkspaceRepository(session)
        self.audit = AuditService(session, actor)

    def _caller(self) -> Principal:
        # Only routes ask for "me" and "mine", and every such route has a signed-in caller.
        if self.actor is None:
            raise RuntimeError("this needs a signed-in caller")
        return self.actor

    async def _user(self, user_id: int) -> User:
        user = await self.users.get(user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

    async def create_user(self, new: UserCreate) -> UserRead:
        """Create a person; audited without the password."""
        email = normalize_email(new.email)
        if await self.users.get_by_email(email) is not None:
            raise EmailTaken(email)
        password = new.password
        try:
            async with self.session.begin_nested():
                user = await self.users.add(
                    User(
                        email=email,
                        name=new.name,
                        password_hash=hash_password(password) if password else None,
                        is_admin=new.is_admin,
                    )
                )
        except IntegrityError:
            raise EmailTaken(email) from None
        await self.audit.record(
            "user.create",
            "user",
            str(user.id),
            diff={
                "email": email,
                "name": new.name,
                "is_admin": new.is_admin,
                "has_password": bool(password),
            },
        )
        return UserRead.model_validate(user)

    async def get_user(self, user_id: int) -> UserRead:
        return UserRead.model_validate(await self._user(user_id))

    async def me(self) -> UserRead:
        return await self.get_user(self._caller().user_id)

    async def get_user_by_email(self, email: str) -> UserRead:
        user = await self.users.get_by_email(normalize_email(email))
        if user is None:
            raise UserNotFound(email)
        return UserRead.model_validate(user)

    async def list_users(self) -> list[UserRead]:
        return [UserRead.model_validate(u) for u in await self.users.list()]

    async def _add_token(
        self,
        owner: User,
        name: str,
        *,
        workspace_id: int | None = None,
        expires_at: datetime | None = None,
        plaintext: str | None = None,
    ) -> TokenIssued:
        """A token row, not yet audited; `plaintext` is given only for the bootstrap token,
        which the operator chose."""
        value = plaintext or generate_token()
        row = await self.tokens.add(
            Token(
                user_id=owner.id,
                user=owner,
                name=name,
                prefix=token_prefix(value),
                token_hash=hash_token(value),
                workspace_id=workspace_id,
                expires_at=expires_at,
            )
        )
        return TokenIssued(**TokenRead.model_validate(row).model_dump(), token=value)

    @staticmethod
    async def _record_token_created(audit: AuditService, token: TokenRead) -> None:
        # The token is named by id and name only: neither the token nor its prefix is recorded.
        await audit.record(
            "token.create",
            "token",
            str(token.id),
            workspace_id=token.workspace_id,
            diff={
                "name": token.name,
                "user_id": token.user_id,
                "workspace_id": token.workspace_id,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            },
        )

    async def create_token(
        self,
        name: str,
        *,
        workspace_id: int | None = None,
        expires_at: datetime | None = None,
        user_id: int | None = None,
    ) -> TokenIssued:
        """A token for the caller, or for anyone when the caller is an instance admin or the
        command line (which names the owner).

        A token bound to a workspace can only mint tokens bound to that same workspace (it
        could otherwise escape its binding), and a token can only be bound to a workspace its
        owner is a member of; anything else is "workspace not found", as for a non-member.
        """
        owner_id = self._caller().user_id if user_id is None else user_id
        if self.actor is not None:
            workspace_id = self._check_token_rights(self.actor, owner_id, workspace_id)
        owner = await self._user(owner_id)
        if (
            workspace_id is not None
            and await self.workspaces.get_membership(workspace_id, owner.id) is None
        ):
            raise WorkspaceNotFound(workspace_id)
        issued = await self._add_token(
            owner, name, workspace_id=workspace_id, expires_at=expires_at
        )
        await self._record_token_created(self.audit, issued)
        return issued

    @staticmethod
    def _check_token_rights(
        caller: Principal, owner_id: int, workspace_id: int | None
    ) -> int | None:
        """The workspace the new token is bound to, once the caller may mint it at all."""
        if owner_id != caller.user_id and not caller.is_admin:
            raise NotInstanceAdmin(
                "only an instance administrator may create another user's tokens"
            )
        if caller.token_workspace_id is None:
            return workspace_id
        if workspace_id is not None and workspace_id != caller.token_workspace_id:
            raise WorkspaceNotFound(workspace_id)
        return caller.token_workspace_id

    async def list_tokens(self) -> list[TokenRead]:
        rows = await self.tokens.list_for_user(self._caller().user_id)
        return [TokenRead.model_validate(t) for t in rows]

    async def delete_token(self, token_id: int) -> None:
        """Revoke one of the caller's own tokens; anyone else's is "not found"."""
        row = await self.tokens.get_for_user(token_id, self._caller().user_id)
        if row is None:
            raise TokenNotFound(token_id)
        workspace_id, name = row.workspace_id, row.name
        await self.tokens.delete(row)
        await self.audit.record(
            "token.delete", "token", str(token_id), workspace_id=workspace_id, diff={"name": name}
        )

    async def login(self, email: str, password: str, client_address: str = "") -> Login:
        """Trade an email and password for a session token that expires on its own."""
        user = await self.users.get_by_email(normalize_email(email))
        if not verify_password(user.password_hash if user else None, password) or user is None:
            raise WrongCredentials()
        issued = await self._add_token(user, "login", expires_at=utcnow() + LOGIN_TOKEN_LIFETIME)
        actor = Principal(
            user_id=user.id,
            email=user.email,
            is_admin=user.is_admin,
            token_id=issued.id,
            token_workspace_id=None,
            client_address=client_address,
        )
        audit = AuditService(self.session, actor)
        await audit.record("user.login", "user", str(user.id), diff={"token_id": issued.id})
        await self._record_token_created(audit, issued)
        return Login(token=issued, user=UserRead.model_validate(user))

    async def bootstrap(self, configured_token: str) -> str | None:
        """On a store with no admin: create `admin@localhost`, its token and workspace 1 "Default".

        Returns the token to print when it was generated here (shown once), else None.
        """
        if await self.users.count_admins() > 0:
            return None
        admin = await self.users.get_by_email(BOOTSTRAP_EMAIL)
        if admin is None:
            admin = await self.users.add(
                User(email=BOOTSTRAP_EMAIL, name="Administrator", is_admin=True)
            )
        else:
            admin.is_admin = True
        issued = await self._add_token(admin, "bootstrap", plaintext=configured_token or None)
        await self._record_token_created(self.audit, issued)
        workspace = await self.workspaces.get(1)
        if workspace is None:
            # No explicit id: on a fresh store this is id 1, and PostgreSQL's sequence stays in step.
            workspace = await self.workspaces.add(Workspace(name=DEFAULT_WORKSPACE_NAME))
        await self.workspaces.put_membership(
            Membership(workspace_id=workspace.id, user_id=admin.id, role="admin")
        )
        return None if configured_token else issued.token
