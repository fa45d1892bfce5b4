"""The CLI against a migrated test database (see `support.Cli`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import Cli


@pytest.fixture
def cli(database_url: str, tmp_path: Path, secret_key: str) -> Cli:
    return Cli(database_url, tmp_path / "data", secret_key)
