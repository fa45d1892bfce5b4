"""Providers and their credentials: the one place their rules live, for every surface.

Checks run in Coder's order — field validation, the reference's syntax, the caller's role, the
lookup, then the rules that need the stored row — so every surface answers alike, and nothing is
written until all of them passed. Nothing here commits: the request's unit of work does.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Sequence

from pydantic import SecretStr
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.service import ActionRecorder
from aiport.adapters import PROVIDER_TYPES
from aiport.changes.hooks import mark
from aiport.changes.kinds import ProviderChanged
from aiport.db.tables import Provider
from aiport.db.types import utcnow
from aiport.providers import auditing as audit
from aiport.providers import snapshots
from aiport.providers.cache import ProviderViews
from aiport.providers.errors import (
    BedrockRejectsApiKeys,
    BedrockTypeMismatch,
    CopilotRejectsApiKeys,
    EmptyProviderUpdate,
    ProviderDisplayNameTaken,
    ProviderInvalid,
    ProviderNameTaken,
    ProviderNotFound,
    ProviderTypeChangeRefused,
)
from aiport.providers.naming import slugify, unused_name
from aiport.providers.repository import ProviderRepository
from aiport.providers.schemas import (
    BEDROCK_CAPABLE_TYPES,
    NO_API_KEY_TYPES,
    BedrockSettings,
    ProviderCreate,
    ProviderKeyChange,
    ProviderRead,
    ProviderRef,
    ProviderSettings,
    ProviderUpdate,
    RevealedCredential,
)
from aiport.providers.service.access import check_ref, find_provider, to_read
from aiport.providers.service.bedrock import merge_bedrock, with_external_id
from aiport.providers.service.keys import (
    ordered,
    plan_api_keys,
    plan_aws_pair,
    reveal,
    seal_new,
)
from aiport.providers.validation import (
    display_name_problems,
    has_bedrock,
    validate_create,
    validate_update,
)
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess

logger = logging.getLogger("aiport.providers")
_NAME_INDEX_MARKERS = (
    "uq_providers_workspace_id_name_live",
    "providers.workspace_id, providers.name",
)


class ProviderService:
    """One workspace's providers, as seen by one caller (`access`)."""

    def __init__(
        self,
        session: AsyncSession,
        keyring: KeyRing,
        access: WorkspaceAccess,
        *,
        record_actions: bool = True,
        views: ProviderViews | None = None,
    ):
        """`record_actions=False` is for callers that record one Action for several changes
        (Baserow's settings PATCH); otherwise a change made in a client session records one."""
        self.session = session
        self.access = access
        self.repository = ProviderRepository(session)
        self.keyring = keyring
        self.actions = ActionRecorder(session, keyring) if record_actions else None
        # The process's cache of lists and their renderings; None reads the database each time.
        self.views = views

    @property
    def workspace_id(self) -> int:
        return self.access.workspace_id

    # Reading. Members may read (credentials are masked); `require_admin` is for surfaces whose
    # reference lets only administrators read, such as Coder's.

    async def list_providers(self, *, require_admin: bool = False) -> list[ProviderRead]:
        """Live providers, disabled ones included, ordered by name."""
        if require_admin:
            self.access.require_admin()
        if self.views is None:
            return [to_read(p) for p in await self.repository.list_live(self.workspace_id)]
        cached = self.views.get_list(self.workspace_id)
        if cached is not None:
            return cached
        stamp = self.views.stamp(self.workspace_id)
        providers = [to_read(p) for p in await self.repository.list_live(self.workspace_id)]
        self.views.put_list(self.workspace_id, stamp, providers)
        return providers

    async def get(self, ref: ProviderRef, *, require_admin: bool = False) -> ProviderRead:
        """By id or name; a soft-deleted provider is not found. Syntax is checked before the role."""
        check_ref(ref)
        if require_admin:
            self.access.require_admin()
        return to_read(await self._load(ref))

    async def get_by_display_name(self, display_name: str) -> ProviderRead:
        """The oldest live provider with this display name (Flashback names configurations so)."""
        provider = await self.repository.get_live_by_display_name(self.workspace_id, display_name)
        if provider is None:
            raise ProviderNotFound()
        return to_read(provider)

    async def reveal_credentials(self, ref: ProviderRef) -> list[RevealedCredential]:
        """The decrypted secrets, for code that calls the provider. Never send them to a client.

        A secret whose key left the ring is returned without its value and marked
        `undecryptable`, so listings show it and an admin can replace it.
        """
        check_ref(ref)
        provider = await self._load(ref)
        revealed = [reveal(self.keyring, c) for c in ordered(provider.credentials)]
        await self.repository.flush()
        return revealed

    # Writing: workspace admins only.

    async def create(
        self,
        data: ProviderCreate,
        *,
        allowed_types: Collection[str] = PROVIDER_TYPES,
        by_display_name: bool = False,
    ) -> ProviderRead:
        """A new provider; `allowed_types` lets a surface refuse types its reference lacks.

        `by_display_name` is for surfaces that name providers by display name only (Flashback):
        it must then be unique among live providers, and `name` is derived from it (slugified,
        `-2`, `-3`… appended while taken).
        """
        if by_display_name:
            base = slugify(data.display_name or "", slugify(data.type, "provider"))
            data = data.model_copy(update={"name": base})
        problems = validate_create(data, allowed_types)
        if by_display_name:
            problems += display_name_problems(data.display_name or "")
        if problems:
            raise ProviderInvalid(problems)
        bedrock_present = has_bedrock(data)
        if bedrock_present and data.api_keys:
            raise BedrockRejectsApiKeys()
        self.access.require_admin()
        if by_display_name:
            await self._require_unused_display_name(data.display_name or "")
            name = await unused_name(self.repository, self.workspace_id, data.name)
            data = data.model_copy(update={"name": name})
        if await self.repository.get_live_by_name(self.workspace_id, data.name) is not None:
            raise ProviderNameTaken(data.name)
        now = utcnow()
        bedrock = data.bedrock or (BedrockSettings() if bedrock_present else None)
        provider = Provider(
            id=uuid.uuid4(),
            workspace_id=self.workspace_id,
            name=data.name,
            display_name=data.display_name or None,
            icon=data.icon,
            type=data.type,
            base_url=data.base_url,
            enabled=data.enabled,
            settings=ProviderSettings(
                bedrock=with_external_id(bedrock) if bedrock else None,
                organization=data.organization,
            ).to_stored(),
            models=_unique(data.models),
            created_at=now,
            updated_at=now,
            created_by=self.access.principal.user_id,
        )
        provider.credentials = seal_new(self.keyring, data, now)
        try:
            await self.repository.insert(provider)
        except IntegrityError as error:
            if any(marker in str(error.orig) for marker in _NAME_INDEX_MARKERS):
                logger.info(
                    "providers.create.name_race workspace_id=%s name=%s",
                    self.workspace_id,
                    data.name,
                )
                raise ProviderNameTaken(data.name) from None
            raise
        await audit.created(self.session, self.access, provider)
        await self._record("provider.create", provider.id, None, snapshots.capture(provider))
        mark(self.session, ProviderChanged(self.workspace_id, provider.id, "create"))
        return to_read(provider)

    async def update(
        self, ref: ProviderRef, patch: ProviderUpdate, *, by_display_name: bool = False
    ) -> ProviderRead:
        """Apply a partial update; `updated_at` moves even when nothing else does.

        A new type, base URL or credential makes the last check stale: the status returns to
        `unchecked`. `by_display_name`: see `create`; the derived `name` is kept on a rename.
        """
        if patch.is_empty():
            raise EmptyProviderUpdate()
        problems = validate_update(patch)
        if by_display_name and patch.display_name is not None:
            problems += display_name_problems(patch.display_name)
        if problems:
            raise ProviderInvalid(problems)
        check_ref(ref)
        self.access.require_admin()
        provider = await self._load(ref, lock=True)
        before = audit.snapshot(provider)
        state_before = snapshots.capture(provider)
        new_type = patch.type or provider.type
        if new_type != provider.type and NO_API_KEY_TYPES & {new_type, provider.type}:
            raise ProviderTypeChangeRefused(provider.type, new_type)
        if by_display_name and patch.display_name not in (None, provider.display_name):
            await self._require_unused_display_name(patch.display_name or "", provider.id)
        stored = ProviderSettings.from_stored(provider.settings)
        bedrock = merge_bedrock(stored.bedrock, patch)
        if bedrock is not None and new_type not in BEDROCK_CAPABLE_TYPES:
            raise BedrockTypeMismatch()
        if patch.api_keys and bedrock is not None:
            raise BedrockRejectsApiKeys()
        if patch.api_keys and provider.type == "copilot":
            raise CopilotRejectsApiKeys()
        now = utcnow()
        credentials = list(provider.credentials)
        if patch.aws_access_key is not None or patch.aws_access_key_secret is not None:
            credentials = plan_aws_pair(
                self.keyring, credentials, patch.aws_access_key, patch.aws_access_key_secret, now
            )
        if patch.api_keys is not None:
            credentials = plan_api_keys(self.keyring, credentials, patch.api_keys, now)
        # Every check passed: from here on the row changes.
        if patch.display_name is not None:
            provider.display_name = patch.display_name or None
        if patch.icon is not None:
            provider.icon = patch.icon
        if patch.enabled is not None:
            provider.enabled = patch.enabled
        if patch.base_url is not None:
            provider.base_url = patch.base_url
        if patch.models is not None:
            provider.models = _unique(patch.models)
        organization = stored.organization if patch.organization is None else patch.organization
        provider.settings = ProviderSettings(
            bedrock=with_external_id(bedrock) if bedrock else None, organization=organization
        ).to_stored()
        removed = [c for c in provider.credentials if c not in credentials]
        provider.credentials = credentials
        provider.type = new_type
        provider.updated_at = now
        if (
            new_type != before.fields["type"]
            or provider.base_url != before.fields["base_url"]
            or {c.id for c in credentials} != before.credential_ids
        ):
            provider.check_status, provider.check_message, provider.checked_at = (
                "unchecked",
                "",
                None,
            )
        await self.repository.flush()
        await audit.updated(self.session, self.access, provider, before, removed)
        await self._record(
            "provider.update", provider.id, state_before, snapshots.capture(provider)
        )
        mark(self.session, ProviderChanged(self.workspace_id, provider.id, "update"))
        return to_read(provider)

    async def replace_credentials(
        self, ref: ProviderRef, api_keys: Sequence[SecretStr]
    ) -> ProviderRead:
        """Make these the provider's API keys; a key equal to a stored key's mask keeps it."""
        return await self.update(
            ref, ProviderUpdate(api_keys=[ProviderKeyChange(api_key=k) for k in api_keys])
        )

    async def delete(self, ref: ProviderRef) -> None:
        """Soft delete: the row and its keys stay for history, the name becomes free."""
        check_ref(ref)
        self.access.require_admin()
        provider = await self._load(ref, lock=True)
        state_before = snapshots.capture(provider)
        now = utcnow()
        provider.deleted_at = now
        provider.enabled = False
        provider.updated_at = now
        await self.repository.flush()
        await audit.deleted(self.session, self.access, provider)
        await self._record("provider.delete", provider.id, state_before, None)
        mark(self.session, ProviderChanged(self.workspace_id, provider.id, "delete"))

    # Internals.

    async def _record(
        self,
        action_type: str,
        provider_id: uuid.UUID,
        before: snapshots.ProviderSnapshot | None,
        after: snapshots.ProviderSnapshot | None,
    ) -> None:
        """An undoable Action, when the caller works in a client session (`ClientSessionId`)."""
        if self.actions is None:
            return
        await self.actions.record(
            self.access.principal,
            workspace_id=self.workspace_id,
            action_type=action_type,
            before={"providers": {str(provider_id): before}},
            after={"providers": {str(provider_id): after}},
        )

    async def _require_unused_display_name(
        self, display_name: str, own_id: uuid.UUID | None = None
    ) -> None:
        """Taken by another provider's display name, or by the name of one without (its label)."""
        taken = await self.repository.get_live_by_display_name(self.workspace_id, display_name)
        if taken is None or taken.id == own_id:
            named = await self.repository.get_live_by_name(self.workspace_id, display_name)
            taken = named if named is not None and not named.display_name else None
        if taken is not None and taken.id != own_id:
            raise ProviderDisplayNameTaken(display_name)

    async def _load(self, ref: ProviderRef, *, lock: bool = False) -> Provider:
        return await find_provider(self.repository, self.workspace_id, ref, lock=lock)


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))
