"""Registered AI models (Xagent's) and each user's default model per slot."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aiport.db.base import Base
from aiport.db.types import UTCDateTime, utcnow


class Model(Base):
    """A model a user registered in a workspace.

    Its secret is either its own row in `credentials` (credentials.model_id = this id) or the
    credentials of the workspace provider named by `provider_id`, never both.
    """

    __tablename__ = "models"
    # Xagent's `model_id` is unique across users; aiport scopes it to the workspace, so one
    # tenant cannot probe another's identifiers.
    __table_args__ = (UniqueConstraint("workspace_id", "model_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(32), default="llm")
    # Free text as in Xagent; mapped to an adapter type when the model is called.
    model_provider: Mapped[str] = mapped_column(String(64))
    model_name: Mapped[str] = mapped_column(String(255))
    base_url: Mapped[str | None] = mapped_column(Text, default=None)
    temperature: Mapped[float | None] = mapped_column(Float, default=None)
    dimension: Mapped[int | None] = mapped_column(Integer, default=None)
    abilities: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    # Category-specific, non-secret parameters (speech: language, voice, …; rerank: top_n, …).
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # A workspace provider whose credentials the model uses instead of a key of its own.
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("providers.id", ondelete="SET NULL"), index=True, default=None
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Shared with every member of the workspace; only workspace admins may turn it on.
    is_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Null until the first update, as Xagent reports it.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ModelDefault(Base):
    """A user's default model for one slot (`config_type`) in one workspace."""

    __tablename__ = "model_defaults"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id", "config_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    config_type: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
