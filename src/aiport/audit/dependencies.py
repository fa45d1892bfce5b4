"""`Annotated` aliases for the audit service, for routes to declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from aiport.audit.service import AuditService
from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession


async def get_audit_service(session: DbSession, principal: CurrentPrincipal) -> AuditService:
    return AuditService(session, principal)


AuditServiceDep = Annotated[AuditService, Depends(get_audit_service)]
