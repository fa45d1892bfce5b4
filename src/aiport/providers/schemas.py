"""Provider shapes at the domain level: what every surface builds and reads, never a wire format.

Field names follow Coder's (the richest reference), so validation errors can name them as Coder
does (`api_keys[1]`, `settings.role_arn`); other surfaces rename them when they render errors.
Secrets are `SecretStr`, so a model that ends up in a log line or a traceback shows `**********`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

# Types whose credentials are not stored API keys (an AWS key pair; per-user GitHub OAuth).
# Not the types that may be called with no key at all: that is `Adapter.requires_secret`.
NO_API_KEY_TYPES = frozenset({"bedrock", "copilot"})
# Types that may carry Bedrock settings.
BEDROCK_CAPABLE_TYPES = frozenset({"anthropic", "bedrock"})
BEDROCK_PROTOCOLS = ("", "invoke-model", "mantle")

# A provider is named by its id, or by its slug name (checked against the name rule).
ProviderRef = uuid.UUID | str


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BedrockSettings(_Frozen):
    """Non-secret Bedrock configuration; the AWS key pair is a credential, not a setting."""

    region: str = ""
    model: str = ""
    small_fast_model: str = ""
    role_arn: str = ""
    # Server-generated STS external id: set when a role is first configured, then kept.
    external_id: str = ""
    protocol: str = ""


class ProviderSettings(_Frozen):
    """Everything non-secret and type-specific, stored as JSON on the provider."""

    bedrock: BedrockSettings | None = None
    # OpenAI / OpenRouter organisation (Baserow's `organization`).
    organization: str = ""

    @classmethod
    def from_stored(cls, stored: dict[str, Any] | None) -> ProviderSettings:
        return cls.model_validate(stored or {})

    def to_stored(self) -> dict[str, Any] | None:
        """Only what is set; SQL NULL when nothing is (Coder stores no settings so too)."""
        return self.model_dump(exclude_defaults=True) or None


class ProviderCreate(_Frozen):
    """A new provider. `api_keys` are plaintext, kept in the given order (the gateway's order).

    Giving an AWS key pair implies Bedrock settings even when `bedrock` is None.
    """

    type: str
    name: str
    display_name: str | None = None
    icon: str = ""
    enabled: bool = False
    base_url: str
    models: list[str] = Field(default_factory=list)
    bedrock: BedrockSettings | None = None
    organization: str = ""
    api_keys: list[SecretStr] = Field(default_factory=list)
    aws_access_key: SecretStr | None = None
    aws_access_key_secret: SecretStr | None = None


class ProviderKeyChange(_Frozen):
    """One entry of the desired key set: `id` keeps a stored key, `api_key` adds a new one.

    Exactly one must be set (checked by the service, so the error can name the entry). An
    `api_key` equal to a stored key's mask keeps that key: a client that reads, edits and writes
    back the masked list loses nothing.
    """

    id: uuid.UUID | None = None
    api_key: SecretStr | None = None


class ProviderUpdate(_Frozen):
    """A partial update: every field left None is untouched. `name` never changes; `type` may
    change between key-based types only (Flashback's PUT sends `aiType`; Coder never does).

    - `display_name` "" clears it; `organization` "" clears it.
    - `api_keys` is the desired final key set ([] removes every key).
    - `bedrock` replaces the non-secret Bedrock fields wholesale (an omitted field becomes "");
      `external_id` may only echo the stored value. Bedrock settings cannot be removed.
    - `aws_access_key` / `aws_access_key_secret`: None keeps, "" clears, a value replaces.
    """

    display_name: str | None = None
    icon: str | None = None
    enabled: bool | None = None
    base_url: str | None = None
    models: list[str] | None = None
    bedrock: BedrockSettings | None = None
    organization: str | None = None
    api_keys: list[ProviderKeyChange] | None = None
    aws_access_key: SecretStr | None = None
    aws_access_key_secret: SecretStr | None = None
    type: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in type(self).model_fields)


class CredentialRead(_Frozen):
    """A stored secret as anyone may see it: masked, with its last check."""

    id: uuid.UUID
    kind: str
    mask: str
    position: int
    status: str
    status_message: str
    checked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ProviderRead(_Frozen):
    id: uuid.UUID
    workspace_id: int
    name: str
    # None when unset; surfaces that always show one use `label`.
    display_name: str | None
    type: str
    base_url: str
    icon: str
    enabled: bool
    settings: ProviderSettings
    models: list[str]
    check_status: str
    check_message: str
    checked_at: datetime | None
    # api keys in the gateway's order, then the AWS key pair if any.
    credentials: list[CredentialRead]
    created_at: datetime
    updated_at: datetime
    # The user who created it, when known.
    created_by: int | None = None

    @property
    def label(self) -> str:
        return self.display_name or self.name

    @property
    def is_ready(self) -> bool:
        """Enabled, and its last check found a working credential (`degraded`: some work)."""
        return self.enabled and self.check_status in ("ok", "degraded")

    @property
    def api_keys(self) -> list[CredentialRead]:
        return [c for c in self.credentials if c.kind == "api_key"]

    @property
    def aws_credential(self) -> CredentialRead | None:
        return next((c for c in self.credentials if c.kind == "aws"), None)


class RevealedCredential(_Frozen):
    """A decrypted secret for the code that calls the provider (adapters, gateway).

    `secret` is None when it cannot be decrypted (its key left the ring); the credential is then
    marked `undecryptable`. For `aws` the secret is JSON {"access_key", "access_key_secret"}.
    """

    id: uuid.UUID
    kind: str
    position: int
    secret: SecretStr | None


class ProviderUsage(_Frozen):
    """What a provider was used for: gateway calls and their tokens, and credential checks.

    `llm_*` count generation only (chat, messages, pass-through), not embeddings or model lists.
    """

    provider_id: uuid.UUID
    gateway_calls: int = 0
    checks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    llm_input_tokens: int = 0
    llm_output_tokens: int = 0
