"""Finding a workspace's provider by reference, and the read view every surface renders."""

from __future__ import annotations

import uuid

from aiport.db.tables import Provider
from aiport.providers.errors import InvalidProviderReference, ProviderNotFound
from aiport.providers.repository import ProviderRepository
from aiport.providers.schemas import CredentialRead, ProviderRead, ProviderRef, ProviderSettings
from aiport.providers.service.keys import ordered
from aiport.providers.validation import is_name


def check_ref(ref: ProviderRef) -> None:
    """A name must be a possible name: refused before the role check and any database call."""
    if not isinstance(ref, uuid.UUID) and not is_name(ref):
        raise InvalidProviderReference()


async def find_provider(
    repository: ProviderRepository, workspace_id: int, ref: ProviderRef, *, lock: bool = False
) -> Provider:
    """The live provider by id or name; a soft-deleted one is not found."""
    if isinstance(ref, uuid.UUID):
        provider = await repository.get_live(workspace_id, ref, for_update=lock)
    else:
        provider = await repository.get_live_by_name(workspace_id, ref, for_update=lock)
    if provider is None:
        raise ProviderNotFound()
    return provider


def to_read(provider: Provider) -> ProviderRead:
    return ProviderRead(
        id=provider.id,
        workspace_id=provider.workspace_id,
        name=provider.name,
        display_name=provider.display_name,
        type=provider.type,
        base_url=provider.base_url,
        icon=provider.icon,
        enabled=provider.enabled,
        settings=ProviderSettings.from_stored(provider.settings),
        models=list(provider.models),
        check_status=provider.check_status,
        check_message=provider.check_message,
        checked_at=provider.checked_at,
        # Masks only: the mask is stored beside the ciphertext, so reading never decrypts.
        credentials=[
            CredentialRead.model_validate(c, from_attributes=True)
            for c in ordered(provider.credentials)
        ],
        created_at=provider.created_at,
        updated_at=provider.updated_at,
        created_by=provider.created_by,
    )
