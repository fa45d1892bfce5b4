"""Checks fixtures: short upstream timeouts, and providers stored pointing at fake upstreams."""

from __future__ import annotations

from functools import partial

import pytest
from fastapi import FastAPI

from aiport.config import Settings
from tests.checks.arrange import StoreProvider
from tests.factories import store_provider as store


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Short upstream timeouts: a test waits seconds at most on a fake that stalls."""
    return settings.model_copy(update={"check_timeout": 2.0, "models_cache_ttl": 300.0})


@pytest.fixture
def store_provider(app: FastAPI) -> StoreProvider:
    """`await store_provider(name, type, base_url, secrets=[(kind, plaintext)], …)` → id."""
    return partial(store, app)
