"""All SQL of the gateway: loading what the caches hold, and writing usage in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import lazyload, selectinload

from aiport.db.repository import SoftDeleteRepository
from aiport.db.tables import Provider, Token, UsageRecord

USAGE_COLUMNS = tuple(c.name for c in UsageRecord.__table__.columns if c.name != "id")
# Where the UUID and timestamp columns are in a usage row.
_UUID_COLUMNS = tuple(
    i for i, name in enumerate(USAGE_COLUMNS) if name in ("provider_id", "credential_id")
)
_TIME_COLUMN = USAGE_COLUMNS.index("created_at")


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite's stored forms: UUIDs as 32 hex digits, naive UTC timestamps as text."""
    values = list(row)
    for index in _UUID_COLUMNS:
        if values[index] is not None:
            values[index] = values[index].hex
    values[_TIME_COLUMN] = values[_TIME_COLUMN].strftime("%Y-%m-%d %H:%M:%S.%f")
    return tuple(values)


class GatewayRepository(SoftDeleteRepository):
    async def token_by_hash(self, token_hash: str) -> Token | None:
        result = await self.session.execute(
            select(Token).where(Token.token_hash == token_hash).options(lazyload(Token.user))
        )
        return result.scalar_one_or_none()

    async def live_provider(self, workspace_id: int, name: str) -> Provider | None:
        result = await self.session.execute(
            select(Provider)
            .where(
                Provider.workspace_id == workspace_id,
                Provider.name == name,
                self.live(Provider),
            )
            .options(selectinload(Provider.credentials))
        )
        return result.scalar_one_or_none()

    async def live_providers(self, workspace_id: int) -> Sequence[Provider]:
        result = await self.session.execute(
            select(Provider)
            .where(Provider.workspace_id == workspace_id, self.live(Provider))
            .order_by(Provider.name)
            .options(lazyload(Provider.credentials))
        )
        return result.scalars().all()

    async def add_usage(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert usage rows given in `USAGE_COLUMNS` order, through the driver's executemany.

        The usage task runs on the event loop that serves requests; SQLAlchemy's per-row
        parameter processing (about 10 µs a row) would stall requests for milliseconds per batch.
        Values are therefore prepared here in each dialect's stored form (what the column types
        would produce), so the statement goes to the driver as is.
        """
        connection = await self.session.connection()
        dialect = connection.dialect.name
        if dialect == "sqlite":
            placeholders = ", ".join("?" for _ in USAGE_COLUMNS)
            prepared: list[tuple[Any, ...]] = [_sqlite_row(row) for row in rows]
        else:
            placeholders = ", ".join(f"${i}" for i in range(1, len(USAGE_COLUMNS) + 1))
            prepared = rows
        statement = f"INSERT INTO usage ({', '.join(USAGE_COLUMNS)}) VALUES ({placeholders})"
        await connection.exec_driver_sql(statement, prepared)

    async def touch_tokens(self, token_ids: set[int], when: datetime) -> None:
        await self.session.execute(
            update(Token).where(Token.id.in_(token_ids)).values(last_used_at=when)
        )
