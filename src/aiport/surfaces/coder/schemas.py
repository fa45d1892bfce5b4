"""Coder's wire shapes: CreateAIProviderRequest / UpdateAIProviderRequest in, AIProvider out.

Decoding follows Go (see decoding.py); rendering follows Coder's struct order, with `settings`
in its discriminated form (`_type`, `_version`, then the fields sorted, secrets never).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from aiport.providers.schemas import (
    BedrockSettings,
    CredentialRead,
    ProviderCreate,
    ProviderKeyChange,
    ProviderRead,
    ProviderUpdate,
)
from aiport.providers.validation import go_quote
from aiport.surfaces.coder.decoding import (
    GoStruct,
    InvalidJSON,
    JsonObject,
    kind_of,
    read_json,
    top_level,
)
from aiport.surfaces.coder.responses import go_json

# Coder's AIProviderType enum; aiport's other types (mistral, ollama) are not Coder's.
CODER_TYPES = (
    "openai",
    "anthropic",
    "azure",
    "google",
    "openai-compat",
    "openrouter",
    "vercel",
    "bedrock",
    "copilot",
)
_CREATE_FIELDS = (
    "type",
    "name",
    "display_name",
    "icon",
    "enabled",
    "base_url",
    "api_keys",
    "settings",
)
_UPDATE_FIELDS = ("display_name", "icon", "enabled", "base_url", "api_keys", "settings")
_BEDROCK_TEXT = ("region", "model", "small_fast_model", "role_arn", "external_id", "protocol")
_BEDROCK_SECRETS = ("access_key", "access_key_secret")


@dataclass(frozen=True)
class WireBedrock:
    """Decoded Bedrock settings: the non-secret part, and each secret as given (None = not sent)."""

    settings: BedrockSettings
    access_key: str | None
    access_key_secret: str | None


def _secret(value: str | None) -> SecretStr | None:
    return SecretStr(value) if value is not None else None


def decode_create(body: bytes) -> ProviderCreate:
    go = GoStruct("codersdk.CreateAIProviderRequest")
    values: dict[str, Any] = {}
    bedrock: WireBedrock | None = None
    for name, raw in go.pairs(top_level(read_json(body), go.go_name), _CREATE_FIELDS):
        if name == "enabled":
            values[name] = go.boolean(raw, name) or False
        elif name == "api_keys":
            values[name] = go.array(raw, name, "[]string", lambda v: go.string(v, "api_keys") or "")
        elif name == "settings":
            bedrock = decode_settings(raw)
        else:
            go_type = "codersdk.AIProviderType" if name == "type" else "string"
            values[name] = go.string(raw, name, go_type) or ""
    go.finish()
    return ProviderCreate(
        type=values.get("type", ""),
        name=values.get("name", ""),
        display_name=values.get("display_name") or None,
        icon=values.get("icon", ""),
        enabled=values.get("enabled", False),
        base_url=values.get("base_url", ""),
        api_keys=[SecretStr(k) for k in values.get("api_keys") or []],
        bedrock=bedrock.settings if bedrock else None,
        aws_access_key=_secret(bedrock.access_key) if bedrock else None,
        aws_access_key_secret=_secret(bedrock.access_key_secret) if bedrock else None,
    )


def decode_update(body: bytes) -> ProviderUpdate:
    go = GoStruct("codersdk.UpdateAIProviderRequest")
    values: dict[str, Any] = {}
    for name, raw in go.pairs(top_level(read_json(body), go.go_name), _UPDATE_FIELDS):
        # A later duplicate replaces an earlier one, `null` included (it resets the pointer).
        if name == "enabled":
            values[name] = go.boolean(raw, name)
        elif name == "api_keys":
            values[name] = go.array(
                raw, name, "[]codersdk.AIProviderKeyMutation", lambda v: _decode_key_change(go, v)
            )
        elif name == "settings":
            values[name] = decode_settings(raw)
        else:
            values[name] = go.string(raw, name)
    go.finish()
    bedrock: WireBedrock | None = values.pop("settings", None)
    return ProviderUpdate(
        **{k: v for k, v in values.items() if v is not None},
        bedrock=bedrock.settings if bedrock else None,
        aws_access_key=_secret(bedrock.access_key) if bedrock else None,
        aws_access_key_secret=_secret(bedrock.access_key_secret) if bedrock else None,
    )


def _decode_key_change(parent: GoStruct, value: Any) -> ProviderKeyChange:
    go = GoStruct("codersdk.AIProviderKeyMutation", path="api_keys.", errors=parent.errors)
    if value is None:
        return ProviderKeyChange()
    if not isinstance(value, JsonObject):
        parent.mismatch(value, "api_keys", "codersdk.AIProviderKeyMutation")
        return ProviderKeyChange()
    found: dict[str, Any] = {}
    for name, raw in go.pairs(value, ("id", "api_key")):
        found[name] = go.uuid(raw, name) if name == "id" else go.string(raw, name)
    return ProviderKeyChange(id=found.get("id"), api_key=_secret(found.get("api_key")))


def decode_settings(value: Any) -> WireBedrock | None:
    """Coder's discriminated settings: `_type` "bedrock" with `_version` 1, else a decode error."""
    if value is None:
        return None
    if not isinstance(value, JsonObject):
        raise InvalidJSON(
            f"decode settings header: json: cannot unmarshal {kind_of(value)} into Go value of "
            "type codersdk.aiProviderSettingsHeader"
        )
    header = GoStruct("codersdk.aiProviderSettingsHeader")
    found: dict[str, Any] = {}
    for name, raw in header.pairs(value, ("_type", "_version")):
        found[name] = header.string(raw, name) if name == "_type" else header.integer(raw, name)
    if header.errors:
        raise InvalidJSON(f"decode settings header: {header.errors[0]}")
    settings_type, version = found.get("_type") or "", found.get("_version") or 0
    if settings_type == "":
        raise InvalidJSON("settings missing _type discriminator")
    if settings_type != "bedrock":
        raise InvalidJSON(f"unknown settings type {go_quote(settings_type)}")
    if version != 1:
        raise InvalidJSON(f'unsupported "bedrock" settings version {version} (expected 1)')
    go = GoStruct("codersdk.AIProviderBedrockSettings")
    text: dict[str, str] = {}
    secrets: dict[str, str | None] = {}
    for name, raw in go.pairs(value, _BEDROCK_TEXT + _BEDROCK_SECRETS):
        if name in _BEDROCK_SECRETS:
            secrets[name] = go.string(raw, name)
        else:
            go_type = "codersdk.AIProviderBedrockProtocol" if name == "protocol" else "string"
            text[name] = go.string(raw, name, go_type) or ""
    if go.errors:
        raise InvalidJSON(f"decode bedrock settings: {go.errors[0]}")
    return WireBedrock(
        settings=BedrockSettings(**text),
        access_key=secrets.get("access_key"),
        access_key_secret=secrets.get("access_key_secret"),
    )


def go_time(moment: datetime) -> str:
    """Go's RFC 3339 with nanoseconds: UTC `Z`, trailing zeros of the fraction dropped."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def render_key(credential: CredentialRead) -> dict[str, Any]:
    return {
        "id": str(credential.id),
        "masked": credential.mask,
        "created_at": go_time(credential.created_at),
    }


def render_settings(bedrock: BedrockSettings | None) -> dict[str, Any] | None:
    if bedrock is None:
        return None
    fields = {k: v for k, v in sorted(bedrock.model_dump().items()) if v}
    return {"_type": "bedrock", "_version": 1, **fields}


def render_provider(provider: ProviderRead) -> dict[str, Any]:
    """Coder's AIProvider, fields in its struct order."""
    return {
        "id": str(provider.id),
        "type": provider.type,
        "name": provider.name,
        "display_name": provider.label,
        "icon": provider.icon,
        "enabled": provider.enabled,
        "base_url": provider.base_url,
        "api_keys": [render_key(c) for c in provider.api_keys],
        "settings": render_settings(provider.settings.bedrock),
        "created_at": go_time(provider.created_at),
        "updated_at": go_time(provider.updated_at),
    }


def render_provider_list(providers: list[ProviderRead]) -> bytes:
    """The list response body, as coderd writes it."""
    return go_json([render_provider(p) for p in providers])
