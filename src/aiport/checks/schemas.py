"""What checks and model listings return, on every surface and in the CLI."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

# A provider's overall status: a credential status (`ok`, `invalid`, …), or one of these.
DEGRADED = "degraded"
NO_CREDENTIALS = "no_credentials"


class CredentialCheckRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    kind: str
    mask: str
    status: str
    message: str
    checked_at: datetime


class ProviderCheckRead(BaseModel):
    """A provider's check: its overall status and each credential's, at one time."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    name: str
    type: str
    status: str
    message: str
    checked_at: datetime
    credentials: list[CredentialCheckRead]


class ModelRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    display_name: str | None = None
    context_window: int | None = None
    owned_by: str | None = None


class ModelListing(BaseModel):
    """Discovered models and where they came from: a fresh listing or the cache (then `stale`
    says whether the upstream just failed, and `error` why)."""

    model_config = ConfigDict(frozen=True)

    models: list[ModelRead]
    fetched_at: datetime
    age_seconds: int
    from_cache: bool
    stale: bool = False
    error: str | None = None
