"""Audit events of provider changes, Coder's way: one event for the provider with a masked diff,
and one per added or removed credential, so a key rotation is never hidden. Only masks appear."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.audit.service import AuditService
from aiport.db.tables import Credential, Provider
from aiport.workspaces.access import WorkspaceAccess

_TRACKED = ("display_name", "icon", "enabled", "base_url", "models", "type")


@dataclass(frozen=True)
class Snapshot:
    """A provider before an update, to tell what the update changed."""

    fields: dict[str, Any]
    settings: dict[str, Any] | None
    credential_ids: frozenset[uuid.UUID]


def snapshot(provider: Provider) -> Snapshot:
    return Snapshot(
        fields={f: copy.deepcopy(getattr(provider, f)) for f in _TRACKED},
        settings=copy.deepcopy(provider.settings),
        credential_ids=frozenset(c.id for c in provider.credentials),
    )


def _key(credential: Credential) -> dict[str, str]:
    return {"id": str(credential.id), "kind": credential.kind, "masked": credential.mask}


async def _credential_events(
    session: AsyncSession,
    access: WorkspaceAccess,
    provider: Provider,
    action: str,
    credentials: list[Credential],
) -> None:
    for credential in credentials:
        await AuditService(session, access.principal).record(
            action=action,
            target_type="credential",
            target_id=str(credential.id),
            workspace_id=access.workspace_id,
            diff={"provider_id": str(provider.id), "provider_name": provider.name}
            | {k: v for k, v in _key(credential).items() if k != "id"},
        )


async def created(session: AsyncSession, access: WorkspaceAccess, provider: Provider) -> None:
    added = list(provider.credentials)
    await AuditService(session, access.principal).record(
        action="provider.create",
        target_type="provider",
        target_id=str(provider.id),
        workspace_id=access.workspace_id,
        diff={
            "id": str(provider.id),
            "type": provider.type,
            "name": provider.name,
            **{f: getattr(provider, f) for f in _TRACKED},
            "settings": provider.settings,
            "credentials": {"added": [_key(c) for c in added], "removed": [], "kept": 0},
        },
    )
    await _credential_events(session, access, provider, "credential.create", added)


async def updated(
    session: AsyncSession,
    access: WorkspaceAccess,
    provider: Provider,
    before: Snapshot,
    removed: list[Credential],
) -> None:
    added = [c for c in provider.credentials if c.id not in before.credential_ids]
    changes = {
        f: {"old": before.fields[f], "new": getattr(provider, f)}
        for f in _TRACKED
        if before.fields[f] != getattr(provider, f)
    }
    await AuditService(session, access.principal).record(
        action="provider.update",
        target_type="provider",
        target_id=str(provider.id),
        workspace_id=access.workspace_id,
        diff={
            "id": str(provider.id),
            "type": provider.type,
            "name": provider.name,
            "changes": changes,
            # Settings are shown only as changed or not, as Coder marks them secret.
            "settings_changed": before.settings != provider.settings,
            "credentials": {
                "added": [_key(c) for c in added],
                "removed": [_key(c) for c in removed],
                "kept": len(provider.credentials) - len(added),
            },
        },
    )
    await _credential_events(session, access, provider, "credential.delete", removed)
    await _credential_events(session, access, provider, "credential.create", added)


async def deleted(session: AsyncSession, access: WorkspaceAccess, provider: Provider) -> None:
    await AuditService(session, access.principal).record(
        action="provider.delete",
        target_type="provider",
        target_id=str(provider.id),
        workspace_id=access.workspace_id,
        diff={"id": str(provider.id), "type": provider.type, "name": provider.name},
    )
