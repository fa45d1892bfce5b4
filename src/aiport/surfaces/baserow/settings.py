"""Baserow's workspace generative-AI settings and workspace list, rendered in its shapes.

The rules (which providers the settings are, how a PATCH reconciles them, who may call) are the
providers domain's (`providers.type_settings`); here is only how Baserow shows them. Where aiport
deviates from Baserow 1.35 (DESIGN.md §1 and the Baserow section of README):
- API keys are shown masked; there are no instance environment settings.
- The PATCH records an undoable Action (`baserow.settings.update`) when a `ClientSessionId` is
  sent; Baserow records none.
"""

from __future__ import annotations

from typing import Any

from aiport.providers.schemas import ProviderRead
from aiport.providers.service.type_settings import (
    SETTINGS_FIELDS,
    SettingsOverview,
    SettingsWorkspace,
    shown_key,
)


def _render(provider_type: str, provider: ProviderRead) -> dict[str, Any]:
    values: dict[str, Any] = {
        "models": list(provider.models),
        "api_key": shown_key(provider),
        "organization": provider.settings.organization,
        "host": provider.base_url,
    }
    return {key: values[key] for key in SETTINGS_FIELDS[provider_type]}


def render_settings(providers: dict[str, ProviderRead]) -> dict[str, dict[str, Any]]:
    """The settings of the workspace's type-named providers, by type."""
    return {t: _render(t, provider) for t, provider in providers.items()}


def render_workspace(workspace: SettingsWorkspace) -> dict[str, Any]:
    """The PATCH answer: the workspace, not the settings (as Baserow answers)."""
    return {
        "id": workspace.id,
        "name": workspace.name,
        "generative_ai_models_enabled": workspace.models_enabled,
    }


def render_workspaces(overview: list[SettingsOverview]) -> list[dict[str, Any]]:
    """`GET /api/workspaces/`: the caller's workspaces with their members and enabled models."""
    return [
        {
            "id": entry.workspace.id,
            "name": entry.workspace.name,
            "users": [
                {
                    "id": member.user_id,
                    "name": member.name,
                    "email": member.email,
                    "workspace": entry.workspace.id,
                    "permissions": member.role.upper(),
                    "created_on": member.created_at.isoformat(),
                    "user_id": member.user_id,
                    "to_be_deleted": False,
                }
                for member in entry.members
            ],
            "order": entry.order,
            "permissions": entry.role.upper(),
            "unread_notifications_count": 0,
            "generative_ai_models_enabled": entry.workspace.models_enabled,
        }
        for entry in overview
    ]
