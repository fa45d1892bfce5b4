"""Workspaces and their members as the domain hands them out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Role = Literal["admin", "member"]
ROLES: tuple[Role, ...] = ("admin", "member")


class WorkspaceSummary(BaseModel):
    """A workspace as anyone may be told of it, whatever their role there."""

    id: int
    name: str


class WorkspaceRead(BaseModel):
    """A workspace as one of its members sees it, with their role."""

    id: int
    name: str
    role: Role
    created_at: datetime
    updated_at: datetime


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    workspace_id: int
    user_id: int
    role: Role


class MemberRead(MembershipRead):
    email: str
    name: str
    created_at: datetime
