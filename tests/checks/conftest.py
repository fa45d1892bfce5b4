"""Providers stored the way the providers domain stores them, pointing at fake upstreams."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi import FastAPI

from aiport.config import Settings
from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Credential, Provider
from aiport.db.types import utcnow
from aiport.vault import KeyRing, aad, fingerprint, mask
from tests.checks.arrange import StoreProvider


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Short upstream timeouts: a test waits seconds at most on a fake that stalls."""
    return settings.model_copy(update={"check_timeout": 2.0, "models_cache_ttl": 300.0})


@pytest.fixture
def store_provider(app: FastAPI) -> StoreProvider:
    """`await store_provider(name, type, base_url, secrets=[(kind, plaintext)], …)` → id."""

    async def store(
        name: str,
        provider_type: str,
        base_url: str,
        *,
        secrets: Sequence[tuple[str, str]] = (),
        settings: dict[str, Any] | None = None,
        workspace_id: int = 1,
        undecryptable: Sequence[tuple[str, str]] = (),
    ) -> uuid.UUID:
        """`undecryptable` secrets are sealed by a key the app's key ring does not hold."""
        ring: KeyRing = app.state.runtime.keyring
        lost = KeyRing.from_base64(KeyRing.generate_key())
        now = utcnow()
        provider = Provider(
            workspace_id=workspace_id,
            name=name,
            display_name=name,
            type=provider_type,
            base_url=base_url,
            enabled=True,
            settings=settings,
            models=[],
            created_at=now,
            updated_at=now,
        )
        sealed = [(ring, s) for s in secrets] + [(lost, s) for s in undecryptable]
        for position, (sealer, (kind, plaintext)) in enumerate(sealed):
            credential_id = uuid.uuid4()
            shown = plaintext if kind == "api_key" else plaintext[:24]
            provider.credentials.append(
                Credential(
                    id=credential_id,
                    kind=kind,
                    ciphertext=sealer.encrypt(
                        plaintext, aad("credentials", credential_id, "secret")
                    ),
                    key_id=sealer.primary_key_id,
                    mask=mask(shown),
                    fingerprint=fingerprint(plaintext),
                    position=position,
                    created_at=now,
                    updated_at=now,
                )
            )
        async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
            session.add(provider)
        return provider.id

    return store
