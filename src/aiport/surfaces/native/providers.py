"""`GET /api/v1/workspaces/{workspace_id}/providers`: what a workspace has, for its members.

Credentials appear masked, with the status of their last check; secrets never leave the store.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from aiport.db.session import DbSession
from aiport.providers.dependencies import provider_service
from aiport.providers.schemas import CredentialRead, ProviderRead
from aiport.providers.service import ProviderService
from aiport.surfaces.native.dependencies import ManagedWorkspace

router = APIRouter(prefix="/api/v1", tags=["providers"])


class CredentialOut(BaseModel):
    id: uuid.UUID
    kind: str
    mask: str
    status: str
    status_message: str
    checked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, credential: CredentialRead) -> CredentialOut:
        return cls(**credential.model_dump(include=set(cls.model_fields)))


class ProviderOut(BaseModel):
    id: uuid.UUID
    name: str
    display_name: str
    type: str
    base_url: str
    icon: str
    enabled: bool
    # Non-secret settings only (e.g. Bedrock's region); the AWS key pair is a credential.
    settings: dict[str, Any]
    models: list[str]
    check_status: str
    check_message: str
    checked_at: datetime | None
    credentials: list[CredentialOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, provider: ProviderRead) -> ProviderOut:
        return cls(
            id=provider.id,
            name=provider.name,
            display_name=provider.label,
            type=provider.type,
            base_url=provider.base_url,
            icon=provider.icon,
            enabled=provider.enabled,
            settings=provider.settings.model_dump(exclude_defaults=True),
            models=provider.models,
            check_status=provider.check_status,
            check_message=provider.check_message,
            checked_at=provider.checked_at,
            credentials=[CredentialOut.of(c) for c in provider.credentials],
            created_at=provider.created_at,
            updated_at=provider.updated_at,
        )


async def get_workspace_providers(
    request: Request, session: DbSession, access: ManagedWorkspace
) -> ProviderService:
    return provider_service(request, session, access)


# The providers of the workspace named in the path (members and instance admins; others 404).
WorkspaceProviders = Annotated[ProviderService, Depends(get_workspace_providers)]


@router.get("/workspaces/{workspace_id}/providers")
async def list_providers(service: WorkspaceProviders) -> list[ProviderOut]:
    return [ProviderOut.of(p) for p in await service.list_providers()]
