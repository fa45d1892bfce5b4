"""Audit events as the domain hands them out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    workspace_id: int | None
    actor_user_id: int | None
    action: str
    target_type: str
    target_id: str
    diff: dict[str, Any]
    client_address: str
    created_at: datetime
