"""What every CLI command needs: settings that fail in one line, and a database session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from aiport.config import Settings
from aiport.db.engine import make_engine, make_sessionmaker

T = TypeVar("T")


def fail(message: str) -> typer.Exit:
    typer.echo(f"aiport: {message}", err=True)
    return typer.Exit(code=2)


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        first = error.errors()[0]
        raise fail(f"bad setting: {first['msg'].removeprefix('Value error, ')}") from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def run(coroutine_factory: Callable[[], Awaitable[T]]) -> T:
    """Run async CLI work; an unreachable database is one clear line, not a traceback."""

    async def main() -> T:
        return await coroutine_factory()

    try:
        return asyncio.run(main())
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


@asynccontextmanager
async def unit_of_work(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """The same session scope as a request: one transaction, committed at the end."""
    async with make_sessionmaker(engine)() as session, session.begin():
        yield session
