"""A workspace's settings by provider type: the providers named exactly after their type.

The settings of type `openai` are the provider named `openai` (and so on for each type in
`SETTINGS_FIELDS`), so what is set here is what every surface and the gateway see, and the
other way round. Replacing the settings sets them as a whole: a type left out or left blank
removes its provider, a new one creates it (enabled), a changed one updates it. Every change
goes through `ProviderService`, so its rules, audit events and change notifications hold, and
one undoable Action records the whole replacement.

Baserow's generative-AI settings are this view (its types and fields, its order); the rules
where aiport deviates from Baserow 1.35 are here too:
- the key shown is the provider's first, masked; a masked key sent back unchanged keeps every
  stored key;
- a key not sent and a blank key are one thing, a type with nothing set is no provider,
  duplicate model names are kept once, and a blank host is the adapter's default URL;
- `models_enabled` is what the providers enable (a live, enabled provider with models and a
  key, or for Ollama a host).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.service import ActionRecorder
from aiport.adapters import default_base_url
from aiport.auth.principal import Principal
from aiport.providers.errors import SettingsNotAdmin, SettingsNotMember, SettingsWorkspaceNotFound
from aiport.providers.schemas import ProviderCreate, ProviderKeyChange, ProviderRead, ProviderUpdate
from aiport.providers.service.registry import ProviderService
from aiport.providers.snapshots import ProviderRestorer
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess, is_workspace_id, resolve_workspace
from aiport.workspaces.errors import WorkspaceNotFound
from aiport.workspaces.schemas import MemberRead, WorkspaceSummary
from aiport.workspaces.service import WorkspaceService

# The provider types settings name, in Baserow 1.35's registration order, and each one's
# fields in field order.
SETTINGS_FIELDS: dict[str, tuple[str, ...]] = {
    "openai": ("models", "api_key", "organization"),
    "anthropic": ("models", "api_key"),
    "mistral": ("models", "api_key"),
    "ollama": ("models", "host"),
    "openrouter": ("models", "api_key", "organization"),
}
SETTINGS_TYPES = tuple(SETTINGS_FIELDS)
# The Action a replacement records (the value is stored: it names how to undo it).
ACTION_TYPE = "baserow.settings.update"


@dataclass(frozen=True)
class TypeSettings:
    """One provider type's settings, trimmed; a key not sent is blank."""

    models: tuple[str, ...] = ()
    api_key: str = ""
    organization: str = ""
    host: str = ""

    @property
    def is_blank(self) -> bool:
        """Nothing set: there is no instance-wide fallback, so no provider."""
        return not (self.models or self.api_key or self.organization or self.host)


@dataclass(frozen=True)
class SettingsWorkspace:
    """A workspace as settings show it: its name and the models its settings enable."""

    id: int
    name: str
    models_enabled: dict[str, list[str]]


@dataclass(frozen=True)
class SettingsOverview:
    """One of the caller's workspaces, its members and the models its settings enable."""

    workspace: SettingsWorkspace
    role: str
    order: int
    members: Sequence[MemberRead]


def models_enabled(providers: Sequence[ProviderRead]) -> dict[str, list[str]]:
    """The type-named providers that can serve: enabled, with models, and a key (Ollama: a host)."""
    by_name = {p.name: p for p in providers}
    enabled: dict[str, list[str]] = {}
    for provider_type in SETTINGS_TYPES:
        provider = by_name.get(provider_type)
        if provider is None or not provider.enabled or not provider.models:
            continue
        reachable = provider.base_url if provider_type == "ollama" else provider.api_keys
        if reachable:
            enabled[provider_type] = list(provider.models)
    return enabled


def shown_key(provider: ProviderRead) -> str:
    """Settings have one key per type: the provider's first (the gateway's first), masked."""
    return provider.api_keys[0].mask if provider.api_keys else ""


class TypeSettingsService:
    """Reads and replaces a workspace's settings (workspace admins only)."""

    def __init__(self, session: AsyncSession, keyring: KeyRing, principal: Principal):
        self.session = session
        self.keyring = keyring
        self.principal = principal

    async def read(self, workspace_id: int) -> dict[str, ProviderRead]:
        """The workspace's type-named providers, by type, in settings order."""
        _, providers = await self._admin_service(workspace_id)
        live = {p.name: p for p in await providers.list_providers()}
        return {t: live[t] for t in SETTINGS_TYPES if t in live}

    async def replace(
        self, workspace_id: int, settings: Mapping[str, TypeSettings]
    ) -> SettingsWorkspace:
        """Make the type-named providers what `settings` says."""
        workspace, providers = await self._admin_service(workspace_id, lock=True)
        restorer = ProviderRestorer(self.session)
        live = {p.name: p for p in await providers.list_providers() if p.name in SETTINGS_FIELDS}
        touched = {p.id for p in live.values()}
        before = await restorer.capture(workspace_id, touched)
        changed = False
        for provider_type in SETTINGS_TYPES:
            wanted = settings.get(provider_type, TypeSettings())
            current = live.get(provider_type)
            if wanted.is_blank:
                if current is not None:
                    await providers.delete(current.id)
                    changed = True
            elif current is None:
                created = await providers.create(_create(provider_type, wanted))
                touched.add(created.id)
                changed = True
            else:
                patch = _update(provider_type, wanted, current)
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
        return SettingsWorkspace(
            workspace.id, workspace.name, models_enabled(await providers.list_providers())
        )

    async def overview(self) -> list[SettingsOverview]:
        """The caller's workspaces with their members and enabled models. Members see the
        enabled models too: they hold no secret."""
        listed = []
        workspaces = WorkspaceService(self.session, self.principal)
        for order, workspace in enumerate(await workspaces.list_workspaces(), start=1):
            role = workspace.role
            access = WorkspaceAccess(workspace_id=workspace.id, role=role, principal=self.principal)
            members = await workspaces.list_members(access)
            providers = await ProviderService(self.session, self.keyring, access).list_providers()
            listed.append(
                SettingsOverview(
                    SettingsWorkspace(workspace.id, workspace.name, models_enabled(providers)),
                    role,
                    order,
                    members,
                )
            )
        return listed

    async def _admin_service(
        self, workspace_id: int, *, lock: bool = False
    ) -> tuple[WorkspaceSummary, ProviderService]:
        """A missing workspace, a non-member (instance admins too) and a member who is not admin
        are three answers here (Baserow tells them apart), where other routes say "not found".

        `lock`: the workspace row is held until commit, so two replacements of one workspace's
        settings run one after the other rather than racing.
        """
        workspace = (
            await WorkspaceService(self.session, self.principal).get(workspace_id, lock=lock)
            if is_workspace_id(workspace_id)
            else None
        )
        if workspace is None:
            raise SettingsWorkspaceNotFound(workspace_id)
        try:
            access = await resolve_workspace(
                self.session, self.principal, requested_id=workspace_id
            )
        except WorkspaceNotFound:
            raise SettingsNotMember(workspace_id) from None
        if not access.is_admin:
            raise SettingsNotAdmin()
        # One Action for the whole replacement, recorded by `replace`, rather than one per provider.
        return workspace, ProviderService(self.session, self.keyring, access, record_actions=False)


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


def _update(provider_type: str, wanted: TypeSettings, current: ProviderRead) -> ProviderUpdate:
    """Only what differs, and only the type's own fields. The key shown (masked) sent back
    keeps every stored key."""
    fields = SETTINGS_FIELDS[provider_type]
    changes: dict[str, Any] = {}
    if list(dict.fromkeys(wanted.models)) != current.models:
        changes["models"] = list(wanted.models)
    if "api_key" in fields and wanted.api_key != shown_key(current):
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
