"""Flashback fixtures: short upstream timeouts."""

from __future__ import annotations

import pytest

from aiport.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Short upstream timeouts: a validation waits seconds at most on a fake that stalls."""
    return settings.model_copy(update={"check_timeout": 2.0})
