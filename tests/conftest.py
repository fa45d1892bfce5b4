"""Shared fixtures: a real database built by the migrations, the app through httpx, identities.

Each test starts on an empty, migrated database. On SQLite it is a file copied from one
migrated template. On PostgreSQL one copy of the template serves the run, and every table is
truncated after each test (creating a database per test cost ~0.2 s a test). Set
AIPORT_TEST_DATABASE_URL to a PostgreSQL server URL
(`postgresql+asyncpg://postgres@127.0.0.1:5432/aiport_ci_x`) to run the whole suite there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.app import create_app
from aiport.config import Settings
from aiport.db import migrate
from aiport.db.engine import make_engine, make_sessionmaker
from aiport.vault import KeyRing
from tests.clients import app_client
from tests.factories import Identities, make_identities
from tests.pg import PostgresDatabases

# Fake upstream providers (real servers on 127.0.0.1) for every test that calls a "provider".
pytest_plugins = ("tests.fakes.fixtures",)

TEST_DATABASE_URL = os.environ.get("AIPORT_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def secret_key() -> str:
    return KeyRing.generate_key()


@pytest.fixture(scope="session")
async def template_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A database migrated to head once per run; tests get copies of it."""
    if TEST_DATABASE_URL:
        async with PostgresDatabases(TEST_DATABASE_URL) as databases:
            name = await databases.create_template()
            yield name
            await databases.drop(name)
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await migrate.upgrade(engine)
    await engine.dispose()
    yield str(path)


@pytest.fixture(scope="session")
async def postgres_database(template_database: str) -> AsyncIterator[str]:
    """The run's PostgreSQL database (a copy of the template), emptied after every test;
    "" on SQLite runs, which never touch PostgreSQL."""
    if not TEST_DATABASE_URL:
        yield ""
        return
    async with PostgresDatabases(TEST_DATABASE_URL) as databases:
        url = await databases.copy_of(template_database)
        yield url
        await databases.drop(url)


@pytest.fixture
async def database_url(
    template_database: str, postgres_database: str, tmp_path: Path
) -> AsyncIterator[str]:
    if postgres_database:
        yield postgres_database
        async with PostgresDatabases(TEST_DATABASE_URL) as databases:
            await databases.truncate_all(postgres_database)
        return
    path = tmp_path / "aiport.db"
    shutil.copyfile(template_database, path)
    yield f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def settings(database_url: str, secret_key: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_keys=secret_key,
        bootstrap_token="",
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app) as http:
        yield http


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """A session on the test's database, for arranging and inspecting state; commits on exit."""
    async with make_sessionmaker(app.state.runtime.engine)() as db, db.begin():
        yield db


@pytest.fixture
async def ids(app: FastAPI) -> Identities:
    """admin (workspace 1 admin and instance admin), member, outsider — each with a token."""
    return await make_identities(app)
