"""Access to a provider named by its id alone, for surfaces with no workspace in the path
(Flashback's `/ai/llm/{id}`): the provider's own workspace decides the caller's role."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import Principal
from aiport.providers.errors import ProviderNotFound
from aiport.providers.repository import ProviderRepository
from aiport.workspaces.access import WorkspaceAccess, resolve_workspace
from aiport.workspaces.errors import WorkspaceNotFound


async def access_to_provider(
    session: AsyncSession, principal: Principal, provider_id: uuid.UUID
) -> WorkspaceAccess:
    """The caller's access to the workspace of this live provider.

    A provider in a workspace the caller cannot see (or outside the token's binding) is not
    found, exactly like one that does not exist, so ids cannot be probed.
    """
    workspace_id = await ProviderRepository(session).workspace_of_live(provider_id)
    if workspace_id is None:
        raise ProviderNotFound()
    try:
        return await resolve_workspace(session, principal, requested_id=workspace_id)
    except WorkspaceNotFound:
        raise ProviderNotFound() from None
