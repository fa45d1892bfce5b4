"""The CLI against a migrated test database, through typer's CliRunner.

CLI tests are synchronous: each command runs its own event loop, as it does from a shell.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner, Result

from aiport.cli.main import app
from aiport.db.engine import make_engine, make_sessionmaker

T = TypeVar("T")


class Cli:
    def __init__(self, database_url: str, data_dir: Path, secret_key: str):
        self.database_url = database_url
        self.env = {
            "AIPORT_DATA_DIR": str(data_dir),
            "AIPORT_DATABASE_URL": database_url,
            "AIPORT_SECRET_KEYS": secret_key,
            "AIPORT_BOOTSTRAP_TOKEN": "",
        }

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Result:
        return CliRunner().invoke(app, list(args), input=input, env=self.env | env)

    def db(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Arrange or inspect the database in one committed transaction."""

        async def go() -> T:
            engine = make_engine(self.database_url)
            try:
                async with make_sessionmaker(engine)() as session, session.begin():
                    return await work(session)
            finally:
                await engine.dispose()

        return asyncio.run(go())


def one_line_error(result: Result) -> str:
    """A failed command says why in one `aiport: …` line on stderr, never a traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aiport: ")
    return lines[0]
