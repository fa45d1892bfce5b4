"""Providers (configured upstream accounts) and their credentials (encrypted secrets)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiport.db.base import Base
from aiport.db.types import UTCDateTime, utcnow


class Provider(Base):
    __tablename__ = "providers"
    __table_args__ = (
        # A name is unique among live providers only: deleting one frees its name.
        Index(
            "uq_providers_workspace_id_name_live",
            "workspace_id",
            "name",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(Text, default=None)
    icon: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Non-secret, type-specific settings (e.g. Bedrock region); secrets live in credentials.
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Model names enabled for use through the gateway; empty means "all discovered".
    models: Mapped[list[str]] = mapped_column(JSON, default=list)
    check_status: Mapped[str] = mapped_column(String(32), default="unchecked")
    check_message: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Who created it (Flashback shows a creator); None for rows made by the CLI or before.
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )

    credentials: Mapped[list[Credential]] = relationship(
        back_populates="provider",
        order_by="(Credential.position, Credential.created_at)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class Credential(Base):
    __tablename__ = "credentials"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True, default=None
    )
    # Set instead of provider_id when the secret is a registered model's own key (Xagent).
    model_id: Mapped[int | None] = mapped_column(
        ForeignKey("models.id", ondelete="CASCADE"), index=True, default=None
    )
    # `api_key`: the secret is the key itself. `aws`: the secret is JSON
    # {"access_key": …, "access_key_secret": …}. Sealed by `credentials.sealing` (AAD:
    # `credential_aad(id)`).
    kind: Mapped[str] = mapped_column(String(32), default="api_key")
    ciphertext: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(16))
    mask: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    weight: Mapped[int] = mapped_column(Integer, default=1)
    # Insertion order within the provider: the gateway tries keys in this order.
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(32), default="unchecked")
    status_message: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Provider | None] = relationship(back_populates="credentials")
