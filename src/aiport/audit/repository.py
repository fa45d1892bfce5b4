"""All SQL about audit events."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import AuditEvent


class AuditRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, event: AuditEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    async def list_for_workspace(
        self, workspace_id: int, *, limit: int, before: int | None
    ) -> Sequence[AuditEvent]:
        query = select(AuditEvent).where(AuditEvent.workspace_id == workspace_id)
        if before is not None:
            query = query.where(AuditEvent.id < before)
        result = await self.session.execute(query.order_by(AuditEvent.id.desc()).limit(limit))
        return result.scalars().all()
