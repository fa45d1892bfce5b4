"""All SQL about users and their tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from aiport.changes.hooks import mark
from aiport.changes.kinds import IdentityChanged
from aiport.db.repository import Repository
from aiport.db.tables import Token, User


class UserRepository(Repository):
    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        result = await self.session.execute(
            select(User).where(func.lower(User.email) == email.lower())
        )
        return result.scalar_one_or_none()

    async def list(self) -> Sequence[User]:
        result = await self.session.execute(select(User).order_by(User.id))
        return result.scalars().all()

    async def count_admins(self) -> int:
        result = await self.session.execute(select(func.count()).where(User.is_admin.is_(True)))
        return int(result.scalar_one())


class TokenRepository(Repository):
    async def get_by_hash(self, token_hash: str) -> Token | None:
        result = await self.session.execute(select(Token).where(Token.token_hash == token_hash))
        return result.scalar_one_or_none()

    async def get_for_user(self, token_id: int, user_id: int) -> Token | None:
        result = await self.session.execute(
            select(Token).where(Token.id == token_id, Token.user_id == user_id)
        )
        return result.scalar_one_or_none()

    async def list_for_user(self, user_id: int) -> Sequence[Token]:
        result = await self.session.execute(
            select(Token).where(Token.user_id == user_id).order_by(Token.id)
        )
        return result.scalars().all()

    async def delete(self, token: Token) -> None:
        mark(self.session, IdentityChanged("token"))
        await self.session.delete(token)
        await self.session.flush()

    async def touch(self, token_id: int, when: datetime) -> None:
        await self.session.execute(
            update(Token).where(Token.id == token_id).values(last_used_at=when)
        )
