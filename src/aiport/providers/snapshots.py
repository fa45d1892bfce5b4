"""Whole-provider snapshots and their restoration: what undo and redo replay.

A snapshot holds every column of the provider row and of each of its credential rows, read
generically from the tables so a column added later is carried too. Credential ciphertexts stay
vault ciphertexts bound to their credential id (the AAD names it), so restoring a credential
under the same id keeps it decryptable; the snapshot as a whole is sealed again by the actions
domain before it is stored. `None` stands for "no live provider with this id".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.changes.hooks import mark
from aiport.changes.kinds import ProviderChanged
from aiport.db.rows import dump_row, load_row
from aiport.db.tables import Credential, Provider
from aiport.db.types import utcnow
from aiport.errors import Conflict
from aiport.providers.repository import ProviderRepository
from aiport.workspaces.access import WorkspaceAccess

ProviderSnapshot = dict[str, Any]
# provider id (text) -> its snapshot, or None when it is not live.
ProviderStates = dict[str, ProviderSnapshot | None]

# Set through the relationship, never from a snapshot.
_CREDENTIAL_LINKS = frozenset({"provider_id", "model_id"})


class ProviderRestoreConflict(Conflict):
    """The name of the provider to bring back now belongs to another live provider."""

    code = "provider_restore_conflict"

    def __init__(self, name: str):
        super().__init__(f'another live AI provider is now named "{name}"')


def capture(provider: Provider) -> ProviderSnapshot:
    """The provider row and its credential rows as JSON-ready values."""
    row = dump_row(provider)
    row["credentials"] = [dump_row(c, exclude=_CREDENTIAL_LINKS) for c in provider.credentials]
    return row


class ProviderRestorer:
    """Puts providers back into a captured state, in the request's transaction."""

    def __init__(self, session: AsyncSession):
        self.session = session
        self.repository = ProviderRepository(session)

    async def capture(self, workspace_id: int, ids: Iterable[uuid.UUID]) -> ProviderStates:
        """The current state of these providers (None for the ones not live)."""
        states: ProviderStates = {}
        for provider_id in ids:
            provider = await self.repository.get_live(workspace_id, provider_id)
            states[str(provider_id)] = capture(provider) if provider is not None else None
        return states

    async def restore(
        self, access: WorkspaceAccess, states: Mapping[str, ProviderSnapshot | None]
    ) -> None:
        """Make each provider what its state says (admins only, as for any provider change).

        Removals go first, so a name one frees can be taken by another. The gateway hears of
        every change once the transaction commits.
        """
        access.require_admin()
        ordered = sorted(states.items(), key=lambda item: item[1] is not None)
        for provider_id, state in ordered:
            if state is None:
                await self._remove(access.workspace_id, uuid.UUID(provider_id))
            else:
                await self._put(access.workspace_id, uuid.UUID(provider_id), state)

    async def _remove(self, workspace_id: int, provider_id: uuid.UUID) -> None:
        provider = await self.repository.get_any(workspace_id, provider_id)
        if provider is None or provider.deleted_at is not None:
            return
        now = utcnow()
        provider.deleted_at = now
        provider.enabled = False
        provider.updated_at = now
        await self.repository.flush()
        mark(self.session, ProviderChanged(workspace_id, provider_id, "delete"))

    async def _put(
        self, workspace_id: int, provider_id: uuid.UUID, state: ProviderSnapshot
    ) -> None:
        provider = await self.repository.get_any(workspace_id, provider_id)
        holder = await self.repository.get_live_by_name(workspace_id, state["name"])
        if holder is not None and holder.id != provider_id:
            raise ProviderRestoreConflict(state["name"])
        was_live = provider is not None and provider.deleted_at is None
        if provider is None:
            provider = Provider(id=provider_id)
            self.session.add(provider)
        load_row(provider, state, exclude={"id"})
        provider.workspace_id = workspace_id
        provider.deleted_at = None
        provider.updated_at = utcnow()
        provider.credentials = self._credentials(provider, state.get("credentials", []))
        await self.repository.flush()
        mark(
            self.session,
            ProviderChanged(workspace_id, provider_id, "update" if was_live else "create"),
        )

    @staticmethod
    def _credentials(provider: Provider, states: list[dict[str, Any]]) -> list[Credential]:
        """The captured credential rows; one still stored with the same secret keeps its
        ciphertext, which a key rotation may have re-wrapped since."""
        current = {c.id: c for c in provider.credentials}
        restored = []
        for state in states:
            credential_id = uuid.UUID(state["id"])
            credential = current.get(credential_id)
            same_secret = credential is not None and credential.fingerprint == state["fingerprint"]
            if credential is None:
                credential = Credential(id=credential_id)
            kept = {"ciphertext", "key_id"} if same_secret else set()
            load_row(credential, state, exclude={*_CREDENTIAL_LINKS, "id", *kept})
            restored.append(credential)
        return restored
