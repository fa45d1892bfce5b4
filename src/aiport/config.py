"""Settings from `AIPORT_*` environment variables (and `.env`)."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_BOOTSTRAP_TOKEN_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AIPORT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path(".aiport")
    database_url: str = ""
    # Comma-separated base64 32-byte keys: the first encrypts, all decrypt.
    secret_keys: str = ""
    bootstrap_token: str = ""
    redis_url: str = ""
    allow_private_upstreams: bool = True
    upstream_connect_timeout: float = Field(default=5.0, gt=0)
    upstream_read_timeout: float = Field(default=60.0, gt=0)
    check_timeout: float = Field(default=10.0, gt=0)
    models_cache_ttl: float = Field(default=300.0, ge=0)
    log_level: str = "INFO"
    # Largest request body accepted by the management APIs (the gateway has its own limit).
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    # The gateway: requests per window per token and per workspace (0: no limit), shared through
    # Redis when AIPORT_REDIS_URL is set, else counted by each worker.
    gateway_rate_limit_per_token: int = Field(default=0, ge=0)
    gateway_rate_limit_per_workspace: int = Field(default=0, ge=0)
    gateway_rate_limit_window: float = Field(default=60.0, gt=0)
    # How long any surface, the gateway included, trusts a token and its memberships without
    # asking the database. Only a backstop: a committed change ends it at once on every worker
    # and instance (aiport.changes).
    auth_cache_ttl: float = Field(default=5.0, ge=0)
    gateway_max_body_bytes: int = Field(default=33_554_432, gt=0)
    # Xagent's unauthenticated `/api/models/public/*` list the shared models of this workspace
    # only; unset, they list nothing (Xagent itself lists every user's models to anyone).
    xagent_public_workspace: int | None = None

    @field_validator("bootstrap_token")
    @classmethod
    def _bootstrap_token_is_long(cls, value: str) -> str:
        if value and len(value) < MIN_BOOTSTRAP_TOKEN_LENGTH:
            raise ValueError(
                f"AIPORT_BOOTSTRAP_TOKEN must be at least {MIN_BOOTSTRAP_TOKEN_LENGTH} characters"
            )
        return value

    @field_validator("secret_keys")
    @classmethod
    def _secret_keys_are_32_bytes(cls, value: str) -> str:
        for index, key in enumerate(k.strip() for k in value.split(",") if k.strip()):
            try:
                raw = base64.b64decode(key, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(
                    f"AIPORT_SECRET_KEYS entry {index + 1} is not valid base64"
                ) from None
            if len(raw) != 32:
                raise ValueError(
                    f"AIPORT_SECRET_KEYS entry {index + 1} decodes to {len(raw)} bytes, expected 32"
                )
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'aiport.db').resolve()}"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "secret.key"


@lru_cache
def get_settings() -> Settings:
    return Settings()
