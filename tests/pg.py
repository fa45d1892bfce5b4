"""PostgreSQL databases for tests: one migrated template, copies of it, emptied between tests."""

from __future__ import annotations

import uuid
from types import TracebackType

import asyncpg
from sqlalchemy.engine import make_url

from aiport.db import migrate
from aiport.db.engine import make_engine


class PostgresDatabases:
    """Creates databases next to the one named in the URL (which need not exist)."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self._connection: asyncpg.Connection | None = None

    async def __aenter__(self) -> PostgresDatabases:
        self._connection = await asyncpg.connect(
            host=self.url.host or "127.0.0.1",
            port=self.url.port or 5432,
            user=self.url.username or "postgres",
            password=self.url.password,
            database="postgres",
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            await self._connection.close()

    def _url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    async def create_template(self) -> str:
        assert self._connection is not None
        name = f"{self.url.database}_tpl_{uuid.uuid4().hex[:8]}"
        await self._connection.execute(f'CREATE DATABASE "{name}"')
        engine = make_engine(self._url_for(name))
        await migrate.upgrade(engine)
        await engine.dispose()
        return name

    async def copy_of(self, template: str) -> str:
        assert self._connection is not None
        name = f"{self.url.database}_{uuid.uuid4().hex[:10]}"
        await self._connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self._url_for(name)

    async def drop(self, url_or_name: str) -> None:
        assert self._connection is not None
        name = make_url(url_or_name).database if "://" in url_or_name else url_or_name
        await self._connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def truncate_all(self, url: str) -> None:
        """Empty every table but Alembic's and restart the id sequences, in one statement."""
        target = make_url(url)
        connection = await asyncpg.connect(
            host=target.host or "127.0.0.1",
            port=target.port or 5432,
            user=target.username or "postgres",
            password=target.password,
            database=target.database,
        )
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version'"
            )
            if tables:
                names = ", ".join(f'"{row["tablename"]}"' for row in tables)
                await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()
