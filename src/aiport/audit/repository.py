"""All SQL about audit events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from aiport.db.repository import Repository
from aiport.db.tables import AuditEvent


class AuditRepository(Repository):
    async def list_for_workspace(
        self, workspace_id: int, *, limit: int, before: int | None
    ) -> Sequence[AuditEvent]:
        query = select(AuditEvent).where(AuditEvent.workspace_id == workspace_id)
        if before is not None:
            query = query.where(AuditEvent.id < before)
        result = await self.session.execute(query.order_by(AuditEvent.id.desc()).limit(limit))
        return result.scalars().all()
