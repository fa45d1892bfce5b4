"""Models discovered at each provider, cached so listings do not call the upstream every time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from aiport.db.base import Base
from aiport.db.types import UTCDateTime


class ProviderModelCache(Base):
    """One row per provider: its last successful model listing and when it was fetched."""

    __tablename__ = "provider_model_caches"

    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True
    )
    # [{"id", "display_name", "context_window", "owned_by"}, …] in the upstream's order.
    models: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
