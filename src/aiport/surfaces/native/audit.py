"""`/api/v1/workspaces/{id}/audit`: a workspace's audit log, for its admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aiport.audit.dependencies import AuditServiceDep
from aiport.audit.schemas import AuditEventRead
from aiport.db.types import MAX_ID
from aiport.surfaces.native.dependencies import ManagedWorkspaceAdmin

router = APIRouter(prefix="/api/v1", tags=["audit"])


@router.get("/workspaces/{workspace_id}/audit")
async def list_audit_events(
    access: ManagedWorkspaceAdmin,
    audit: AuditServiceDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[AuditEventRead]:
    """Newest first; pass the last id seen as `before` to page back."""
    return await audit.list_events(access.workspace_id, limit=limit, before=before)
