"""Baserow's workspace generative-AI settings, as a view of the workspace's providers.

The settings of type `openai` are the provider named exactly `openai` (and so on for each of
Baserow's types), so what is set here is what Coder, Flashback and the gateway see, and the
other way round. Reading renders those providers; the PATCH replaces the settings as a whole,
as Baserow does: a type left out or left blank removes its provider, a new one creates it
(enabled, as Baserow has no such switch), a changed one updates it. Every change goes through
`ProviderService`, so its rules, audit events and change notifications hold.

Where aiport deviates from Baserow 1.35 (DESIGN.md §1 and the Baserow section of README):
- API keys are shown masked; a masked key sent back unchanged keeps the stored keys.
- Baserow stores the body as given; aiport stores providers, so a key not sent and a blank key
  are one thing (Baserow treats them alike too), a provider with nothing set is no provider,
  duplicate model names are kept once, and a blank Ollama host is the adapter's default URL.
- There are no instance environment settings: `generative_ai_models_enabled` is what the
  workspace's providers enable (a live, enabled provider with a key, or Ollama's host, and models).
- The PATCH records an undoable Action (`baserow.settings.update`) when a `ClientSessionId` is
  sent; Baserow records none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.service import ActionRecorder
from aiport.adapters import default_base_url
from aiport.auth.principal import Principal
from aiport.providers.schemas import ProviderCreate, ProviderKeyChange, ProviderRead, ProviderUpdate
from aiport.providers.service import ProviderService
from aiport.providers.snapshots import ProviderRestorer
from aiport.surfaces.baserow.errors import (
    GroupDoesNotExist,
    InvalidGroupPermissions,
    UserNotInGroup,
)
from aiport.surfaces.baserow.schemas import (
    PROVIDER_FIELDS,
    PROVIDER_TYPES,
    GenerativeAISettings,
    TypeSettings,
)
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess, is_workspace_id, resolve_workspace
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.schemas import WorkspaceSummary
from aiport.workspaces.service import WorkspaceService

ACTION_TYPE = "baserow.settings.update"


def _models_enabled(providers: Sequence[ProviderRead]) -> dict[str, list[str]]:
    """Baserow's rule over the type-named providers: models, and a key (Ollama: a host)."""
    by_name = {p.name: p for p in providers}
    enabled: dict[str, list[str]] = {}
    for provider_type in PROVIDER_TYPES:
        provider = by_name.get(provider_type)
        if provider is None or not provider.enabled or not provider.models:
            continue
        reachable = provider.base_url if provider_type == "ollama" else provider.api_keys
        if reachable:
            enabled[provider_type] = list(provider.models)
    return enabled


def _shown_key(provider: ProviderRead) -> str:
    """Baserow has one key per type: the provider's first (the gateway's first), masked."""
    return provider.api_keys[0].mask if provider.api_keys else ""


def _render(provider_type: str, provider: ProviderRead) -> dict[str, Any]:
    values: dict[str, Any] = {
        "models": list(provider.models),
        "api_key": _shown_key(provider),
        "organization": provider.settings.organization,
        "host": provider.base_url,
    }
    return {key: values[key] for key in PROVIDER_FIELDS[provider_type]}


class BaserowSettings:
    """The settings endpoints' rules: who may call them, and the mapping onto providers."""

    def __init__(self, session: AsyncSession, keyring: KeyRing, principal: Principal):
        self.session = session
        self.keyring = keyring
        self.principal = principal

    async def read(self, workspace_id: int) -> dict[str, dict[str, Any]]:
        """The settings of the workspace's type-named providers (workspace admins only)."""
        _, providers = await self._admin_service(workspace_id)
        live = {p.name: p for p in await providers.list_providers()}
        return {t: _render(t, live[t]) for t in PROVIDER_TYPES if t in live}

    async def replace(self, workspace_id: int, settings: GenerativeAISettings) -> dict[str, Any]:
        """Make the type-named providers what `settings` says; the workspace as Baserow shows it."""
        workspace, providers = await self._admin_service(workspace_id, lock=True)
        restorer = ProviderRestorer(self.session)
        live = {p.name: p for p in await providers.list_providers() if p.name in PROVIDER_FIELDS}
        touched = {p.id for p in live.values()}
        before = await restorer.capture(workspace_id, touched)
        changed = False
        for provider_type in PROVIDER_TYPES:
            wanted = settings.get(provider_type, TypeSettings())
            current = live.get(provider_type)
            if wanted.is_blank:
                if current is not None:
                    await providers.delete(current.id)
                    changed = True
            elif current is None:
                created = await providers.create(self._create(provider_type, wanted))
                touched.add(created.id)
                changed = True
            else:
                patch = self._update(provider_type, wanted, current)
                if not patch.is_empty():
                    await providers.update(current.id, patch)
                    changed = True
        if changed:
            await ActionRecorder(self.session, self.keyring).record(
                self.principal,
                workspace_id=workspace_id,
                action_type=ACTION_TYPE,
                before={"providers": before},
                after={"providers": await restorer.capture(workspace_id, touched)},
            )
        return self._workspace(workspace, await providers.list_providers())

    async def list_workspaces(self) -> list[dict[str, Any]]:
        """`GET /api/workspaces/`: the caller's workspaces with their members and enabled models.

        Members see `generative_ai_models_enabled` too: it holds no secret.
        """
        listed = []
        workspaces = WorkspaceService(self.session, self.principal)
        for order, workspace in enumerate(await workspaces.list_workspaces(), start=1):
            role = workspace.role
            access = WorkspaceAccess(workspace_id=workspace.id, role=role, principal=self.principal)
            members = await workspaces.list_members(access)
            providers = await ProviderService(self.session, self.keyring, access).list_providers()
            listed.append(
                {
                    "id": workspace.id,
                    "name": workspace.name,
                    "users": [
                        {
                            "id": member.user_id,
                            "name": member.name,
                            "email": member.email,
                            "workspace": workspace.id,
                            "permissions": member.role.upper(),
                            "created_on": member.created_at.isoformat(),
                            "user_id": member.user_id,
                            "to_be_deleted": False,
                        }
                        for member in members
                    ],
                    "order": order,
                    "permissions": role.upper(),
                    "unread_notifications_count": 0,
                    "generative_ai_models_enabled": _models_enabled(providers),
                }
            )
        return listed

    async def _admin_service(
        self, workspace_id: int, *, lock: bool = False
    ) -> tuple[WorkspaceSummary, ProviderService]:
        """Baserow's order and answers: a missing workspace is a 404, a non-member (instance
        admins too) a 400 `ERROR_USER_NOT_IN_GROUP`, a member who is not admin another 400.

        `lock`: the workspace row is held until commit (Baserow's row lock), so two PATCHes of
        one workspace's settings run one after the other rather than racing.
        """
        workspace = (
            await WorkspaceService(self.session, self.principal).get(workspace_id, lock=lock)
            if is_workspace_id(workspace_id)
            else None
        )
        if workspace is None:
            raise GroupDoesNotExist()
        try:
            access = await resolve_workspace(
                self.session, self.principal, requested_id=workspace_id
            )
        except WorkspaceNotFound:
            raise UserNotInGroup() from None
        if not access.is_admin:
            raise InvalidGroupPermissions()
        # One Action for the whole PATCH, recorded by `replace`, rather than one per provider.
        return workspace, ProviderService(self.session, self.keyring, access, record_actions=False)

    @staticmethod
    def _workspace(
        workspace: WorkspaceSummary, providers: Sequence[ProviderRead]
    ) -> dict[str, Any]:
        """The PATCH answer: the workspace, not the settings (as Baserow answers)."""
        return {
            "id": workspace.id,
            "name": workspace.name,
            "generative_ai_models_enabled": _models_enabled(providers),
        }

    @staticmethod
    def _create(provider_type: str, wanted: TypeSettings) -> ProviderCreate:
        host = wanted.host if provider_type == "ollama" else ""
        return ProviderCreate(
            type=provider_type,
            name=provider_type,
            enabled=True,
            base_url=host or default_base_url(provider_type),
            models=list(wanted.models),
            organization=wanted.organization,
            api_keys=[SecretStr(wanted.api_key)] if wanted.api_key else [],
        )

    @staticmethod
    def _update(provider_type: str, wanted: TypeSettings, current: ProviderRead) -> ProviderUpdate:
        """Only what differs. The key shown (masked) sent back keeps every stored key."""
        fields = PROVIDER_FIELDS[provider_type]
        changes: dict[str, Any] = {}
        if list(dict.fromkeys(wanted.models)) != current.models:
            changes["models"] = list(wanted.models)
        if "api_key" in fields and wanted.api_key != _shown_key(current):
            changes["api_keys"] = (
                [ProviderKeyChange(api_key=SecretStr(wanted.api_key))] if wanted.api_key else []
            )
        if "organization" in fields and wanted.organization != current.settings.organization:
            changes["organization"] = wanted.organization
        if "host" in fields:
            host = wanted.host or default_base_url(provider_type)
            if host != current.base_url:
                changes["base_url"] = host
        return ProviderUpdate(**changes)
