"""What the gateway keeps in memory and records: plain slotted objects, cheap on the hot path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiport.adapters import Adapter, UpstreamTarget
from aiport.gateway.keys import KeyPool


@dataclass(slots=True)
class ProviderEntry:
    """A provider as the gateway routes to it, with its keys decrypted."""

    # None for the entry of a registered model that carries its own key.
    id: uuid.UUID | None
    workspace_id: int
    name: str
    type: str
    base_url: str
    enabled: bool
    settings: dict[str, Any]
    models: frozenset[str]
    pool: KeyPool
    adapter: Adapter
    # Credentials that could not be decrypted: counted so exhaustion can say why.
    undecryptable: int = 0
    protocol: str = ""
    target: UpstreamTarget = field(init=False)

    def __post_init__(self) -> None:
        # "openai", "anthropic", "google" or "bedrock": what requests are translated to.
        self.protocol = self.adapter.wire
        self.base_url = self.base_url.rstrip("/")
        self.target = UpstreamTarget(self.type, self.base_url, self.settings)


@dataclass(slots=True, frozen=True)
class Route:
    """Where one model name leads: a provider and the model name its API knows."""

    provider: ProviderEntry
    model: str


@dataclass(slots=True, frozen=True)
class Caller:
    """An authenticated gateway caller and the workspace the request acts in."""

    user_id: int
    token_id: int
    workspace_id: int
    role: str
    expires_at: float | None


@dataclass(slots=True)
class Usage:
    """One gateway request, queued in memory and written in batches."""

    workspace_id: int
    user_id: int
    token_id: int
    endpoint: str
    provider_id: uuid.UUID | None = None
    provider_name: str = ""
    credential_id: uuid.UUID | None = None
    model: str = ""
    stream: bool = False
    input_tokens: int = 0
    output_tokens: int = 0
    status: int = 0
    latency_ms: float = 0.0
    overhead_ms: float = 0.0
    failovers: int = 0
    # time.time() when recorded; made a datetime only when the batch is written.
    created_at: float = 0.0


def adapter_settings(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The stored settings as adapters read them: flat (`region`, `role_arn`, …), with the
    Bedrock block of the providers domain merged in."""
    flat = {k: v for k, v in (stored or {}).items() if k != "bedrock"}
    bedrock = (stored or {}).get("bedrock")
    if isinstance(bedrock, dict):
        flat.update({k: v for k, v in bedrock.items() if v not in (None, "")})
    return flat
