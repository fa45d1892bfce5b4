"""What every CLI command needs: settings that fail in one line, and a database session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from aiport.config import Settings
from aiport.db import migrate
from aiport.db.engine import make_engine, make_sessionmaker
from aiport.db.session import unit_of_work
from aiport.errors import AppError

T = TypeVar("T")


def fail(message: str) -> typer.Exit:
    typer.echo(f"aiport: {message}", err=True)
    return typer.Exit(code=2)


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        variable = "AIPORT_" + "_".join(str(p) for p in first["loc"]).upper()
        if variable not in message:
            message = f"{variable}: {message}"
        raise fail(f"bad setting: {message}") from None
    _check_database_url(settings.resolved_database_url)
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fail(f"bad setting: AIPORT_DATA_DIR: {error.strerror or error}") from None
    return settings


def _check_database_url(url: str) -> None:
    """A URL that cannot work is a bad setting, said before anything tries to connect."""
    try:
        dialect = make_url(url).get_dialect()
    except (ArgumentError, ImportError) as error:
        raise fail(f"bad setting: AIPORT_DATABASE_URL: {error}") from None
    if not getattr(dialect, "is_async", False):
        raise fail(
            "bad setting: AIPORT_DATABASE_URL needs an async driver, "
            "like postgresql+asyncpg://… or sqlite+aiosqlite:///…"
        )


def run(coroutine_factory: Callable[[], Awaitable[T]]) -> T:
    """Run async CLI work; a domain error or an unreachable database is one clear line."""

    async def main() -> T:
        return await coroutine_factory()

    try:
        return asyncio.run(main())
    except AppError as error:
        raise fail(error.message) from None
    except (OperationalError, DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise fail(f"cannot reach the database: {reason}") from None


@asynccontextmanager
async def open_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


def run_in_unit_of_work(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` in one unit of work on a database at the current schema, failing as `run` does."""

    async def go() -> T:
        async with open_engine(settings) as engine:
            await require_current_schema(engine)
            async with unit_of_work(make_sessionmaker(engine)) as session:
                return await work(session)

    return run(go)


async def require_current_schema(engine: AsyncEngine) -> None:
    """Commands other than `serve` and `db upgrade` never migrate: they ask for it instead."""
    current = await migrate.current_revision(engine)
    heads = migrate.head_revisions()
    if current not in heads:
        raise fail(
            f"the database is at {current or 'no revision'}, the newest is {', '.join(heads)}: "
            "run `aiport db upgrade` first"
        )
