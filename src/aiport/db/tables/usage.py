"""Gateway usage: one row per call through the gateway, written in batches off the hot path."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from aiport.db.base import Base
from aiport.db.types import UTCDateTime, utcnow


class UsageRecord(Base):
    __tablename__ = "usage"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    # Plain columns, no foreign keys: usage outlives deleted tokens, keys and providers, and
    # keeps the provider's name as it was (as Coder's interception records do).
    user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    token_id: Mapped[int | None] = mapped_column(Integer, default=None)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None, index=True)
    provider_name: Mapped[str] = mapped_column(Text, default="")
    credential_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    model: Mapped[str] = mapped_column(Text, default="")
    # `chat`, `messages`, `embeddings`, `models` or `passthrough`.
    endpoint: Mapped[str] = mapped_column(String(32))
    stream: Mapped[bool] = mapped_column(Boolean, default=False)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    # The time aiport itself added (what `X-AIPort-Overhead-Ms` said).
    overhead_ms: Mapped[float] = mapped_column(Float, default=0.0)
    failovers: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
