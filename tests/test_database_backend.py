"""Guards CI: when a PostgreSQL URL is given, the suite really runs on PostgreSQL."""

import os

from fastapi import FastAPI


async def test_the_suite_runs_on_the_database_it_was_given(app: FastAPI) -> None:
    dialect = app.state.runtime.engine.dialect.name
    expected = "postgresql" if os.environ.get("AIPORT_TEST_DATABASE_URL") else "sqlite"
    assert dialect == expected
