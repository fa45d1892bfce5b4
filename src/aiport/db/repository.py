"""What every repository shares: the unit of work's session, and the soft-delete rule."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped

from aiport.db.base import Base

RowT = TypeVar("RowT", bound=Base)


class Repository:
    """All SQL of one domain, in the session of the request (or CLI command); never commits."""

    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, row: RowT) -> RowT:
        """Insert `row` now (flushed), so its generated id and defaults are known."""
        self.session.add(row)
        await self.session.flush()
        return row

    async def flush(self) -> None:
        await self.session.flush()


class SoftDeletable(Protocol):
    # Read on the class (the column), never on a row: hence ClassVar.
    deleted_at: ClassVar[Mapped[datetime | None]]


class SoftDeleteRepository(Repository):
    """For repositories that read soft-deleted tables (providers): a deleted row stays for undo,
    and is gone to every other reader."""

    @staticmethod
    def live(table: type[SoftDeletable]) -> ColumnElement[bool]:
        return table.deleted_at.is_(None)
