"""Recording who changed what. Callers pass masked values only; this is the last line that
checks it is handed no secret-looking field in clear."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.repository import AuditRepository
from aiport.audit.schemas import AuditEventRead
from aiport.auth.principal import Principal
from aiport.db.tables import AuditEvent

# Field names whose values must never be stored; a masked form goes under `<name>_masked`.
SECRET_FIELDS = frozenset(
    {"api_key", "api_keys", "secret", "password", "token", "access_key", "access_key_secret", "key"}
)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<redacted>" if k in SECRET_FIELDS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


class AuditService:
    """The audit log of one unit of work. `actor` is who acts: None for the command line."""

    def __init__(self, session: AsyncSession, actor: Principal | None = None):
        self.repository = AuditRepository(session)
        self.actor = actor

    async def record(
        self,
        action: str,
        target_type: str,
        target_id: str,
        *,
        workspace_id: int | None = None,
        diff: dict[str, Any] | None = None,
    ) -> None:
        """Write one event in the caller's transaction, so it lands only if the change does."""
        await self.repository.add(
            AuditEvent(
                workspace_id=workspace_id,
                actor_user_id=self.actor.user_id if self.actor else None,
                action=action,
                target_type=target_type,
                target_id=target_id,
                diff=_scrub(diff or {}),
                client_address=self.actor.client_address if self.actor else "",
            )
        )

    async def list_events(
        self, workspace_id: int, *, limit: int = 50, before: int | None = None
    ) -> list[AuditEventRead]:
        """A workspace's events, newest first; `before` (an event id) pages back.

        Who may read them is the caller's concern: the routes require the workspace's admin.
        """
        events = await self.repository.list_for_workspace(workspace_id, limit=limit, before=before)
        return [AuditEventRead.model_validate(e) for e in events]
