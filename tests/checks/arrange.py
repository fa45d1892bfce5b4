"""Arranging providers for check and model tests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakes.catalog import FakeProvider

StoreProvider = Callable[..., Awaitable[uuid.UUID]]


def stored_settings(fake: FakeProvider) -> dict[str, Any] | None:
    """The fake's settings in the stored shape (Bedrock's under `bedrock`)."""
    settings = dict(fake.target.settings)
    if fake.type == "bedrock":
        return {"bedrock": settings}
    return settings or None


async def store_fake(
    store_provider: StoreProvider,
    fake: FakeProvider,
    name: str,
    *,
    good: bool = True,
    bad: bool = False,
) -> uuid.UUID:
    """A provider for `fake` holding its good key, its bad key, or both (bad first)."""
    secrets = [(fake.kind, fake.bad_plaintext)] if bad else []
    if good:
        secrets.append((fake.kind, fake.good_plaintext))
    return await store_provider(
        name, fake.type, fake.target.base_url, secrets=secrets, settings=stored_settings(fake)
    )
