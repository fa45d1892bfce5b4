"""Alembic environment: one chain for SQLite and PostgreSQL, batch mode on SQLite."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import aiport.db.tables  # noqa: F401  (registers every table on the metadata)
from aiport.db.base import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run() -> None:
    # aiport passes an open connection in (see aiport.db.migrate); the alembic CLI does not.
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from aiport.config import get_settings

        url = get_settings().resolved_database_url
    asyncio.run(_run_with_new_engine(url))


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `aiport db upgrade`")
run()
