"""What can change, typed, and its wire form between processes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import orjson

ProviderAction = Literal["create", "update", "delete"]
IdentityPart = Literal["token", "membership"]


@dataclass(frozen=True)
class ProviderChanged:
    """A provider of the workspace, or one of its credentials, was created, changed or deleted."""

    workspace_id: int
    provider_id: uuid.UUID
    action: ProviderAction


@dataclass(frozen=True)
class ModelChanged:
    """A registered (Xagent) model of the workspace, or its key, changed (by workspace only:
    an edit may rename a `model_id`, so both names go stale)."""

    workspace_id: int


@dataclass(frozen=True)
class IdentityChanged:
    """Who a token is, or where its user may act, changed (a token revoked, a membership)."""

    part: IdentityPart


@dataclass(frozen=True)
class AnythingChanged:
    """Changes may have been missed (a dropped connection, another worker's counter moved, an
    unreadable message): everything cached is suspect."""


Change = ProviderChanged | ModelChanged | IdentityChanged | AnythingChanged


def _as_dict(change: Change) -> dict[str, Any]:
    match change:
        case ProviderChanged(workspace_id, provider_id, action):
            return {"kind": "provider", "ws": workspace_id, "id": str(provider_id), "do": action}
        case ModelChanged(workspace_id):
            return {"kind": "model", "ws": workspace_id}
        case IdentityChanged(part):
            return {"kind": "identity", "part": part}
        case AnythingChanged():
            return {"kind": "anything"}


def _from_dict(raw: Any) -> Change:
    """One change; anything unexpected reads as `AnythingChanged` (drop everything: safe)."""
    if not isinstance(raw, dict):
        return AnythingChanged()
    kind, workspace_id = raw.get("kind"), raw.get("ws")
    try:
        if kind == "provider" and isinstance(workspace_id, int):
            for action in get_args(ProviderAction):
                if raw.get("do") == action:
                    return ProviderChanged(workspace_id, uuid.UUID(str(raw.get("id"))), action)
        if kind == "model" and isinstance(workspace_id, int):
            return ModelChanged(workspace_id)
    except ValueError:
        return AnythingChanged()
    for part in get_args(IdentityPart):
        if kind == "identity" and raw.get("part") == part:
            return IdentityChanged(part)
    return AnythingChanged()


def encode(changes: Sequence[Change]) -> str:
    return orjson.dumps([_as_dict(change) for change in changes]).decode()


def decode(data: bytes | str) -> list[Change]:
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError:
        return [AnythingChanged()]
    if not isinstance(raw, list) or not raw:
        return [AnythingChanged()]
    return [_from_dict(item) for item in raw]
