"""Flashback's `/ai/llm` bodies (`AiLlmDTO` and friends) and their translation to providers.

A configuration is a Provider: `name` is its display name, `aiType` maps onto its type,
`endpoint` is its base URL, and `secret` (with `key`, the access key id, for AWS) is its one
credential. `key` is always `null` in responses and no response has a `secret` field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from aiport.checks.schemas import ProviderCheckRead
from aiport.providers.schemas import (
    ProviderCreate,
    ProviderKeyChange,
    ProviderRead,
    ProviderUpdate,
    ProviderUsage,
)

AiType = Literal["OPENAI", "GOOGLE", "ANTHROPIC", "AWS", "OTHER"]
AI_TYPES: tuple[str, ...] = ("OPENAI", "GOOGLE", "ANTHROPIC", "AWS", "OTHER")
PROVIDER_TYPE_OF: dict[str, str] = {
    "OPENAI": "openai",
    "GOOGLE": "google",
    "ANTHROPIC": "anthropic",
    "AWS": "bedrock",
    "OTHER": "openai-compat",
}
# The types a configuration made here can have; providers of every other type (made through
# another surface) are listed as OTHER.
PROVIDER_TYPES = tuple(PROVIDER_TYPE_OF.values())
MAX_NAME_LENGTH = 255

CREATED = "AI LLM configuration created successfully"
UPDATED = "AI LLM configuration updated successfully"
DELETED = "AI LLM configuration deleted successfully"
VALIDATED = (
    "AI LLM configuration validated successfully. Connection established and credentials verified."
)
NOT_VALIDATED = "Validation failed: Invalid API key or endpoint unreachable. Error: "
# A provider check status that means "usable": every key works, or some do.
_WORKING = ("ok", "degraded")


def ai_type_of(provider_type: str) -> str:
    return {v: k for k, v in PROVIDER_TYPE_OF.items()}.get(provider_type, "OTHER")


def flashback_time(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and `Z`: `2024-01-15T10:30:00.000Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


class _Body(BaseModel):
    # Unknown fields (`apiKeyUuid`, a `workspaceId` on update) are ignored, as F8 proposes.
    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("name", "endpoint", mode="before", check_fields=False)
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        """Names compare after trimming (F6); a URL never needs the surrounding spaces."""
        return value.strip() if isinstance(value, str) else value


class AiLlmCreate(_Body):
    name: str = Field(max_length=MAX_NAME_LENGTH)
    aiType: AiType
    endpoint: str
    key: SecretStr | None = None
    secret: SecretStr
    workspaceId: StrictStr | StrictInt

    @field_validator("name", "endpoint", mode="after")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("is required")
        return value

    @field_validator("secret", mode="after")
    @classmethod
    def _secret_required(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value():
            raise ValueError("is required")
        return value

    @model_validator(mode="after")
    def _aws_needs_key(self) -> Self:
        if self.aiType == "AWS" and not _secret(self.key):
            raise ValueError("key (the AWS access key id) is required for aiType AWS")
        return self

    def to_domain(self) -> ProviderCreate:
        """AWS: `key` + `secret` become the one AWS key pair; else `secret` is the API key.

        `key` has no use for the other types (no adapter takes a second part): it is dropped.
        """
        aws = self.aiType == "AWS"
        return ProviderCreate(
            type=PROVIDER_TYPE_OF[self.aiType],
            name="",
            display_name=self.name,
            enabled=True,
            base_url=self.endpoint,
            api_keys=[] if aws else [self.secret],
            aws_access_key=SecretStr(_secret(self.key)) if aws else None,
            aws_access_key_secret=self.secret if aws else None,
        )


class AiLlmUpdate(_Body):
    """Every field optional; `null` means "no change" (F7)."""

    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    aiType: AiType | None = None
    endpoint: str | None = None
    key: SecretStr | None = None
    secret: SecretStr | None = None

    @field_validator("name", mode="after")
    @classmethod
    def _not_empty(cls, value: str | None) -> str | None:
        if value == "":
            raise ValueError("cannot be empty")
        return value

    @field_validator("key", "secret", mode="after")
    @classmethod
    def _no_empty_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """An empty secret would clear the credential; send null (or nothing) to keep it."""
        if value is not None and not value.get_secret_value():
            raise ValueError("cannot be empty")
        return value

    def to_domain(self, current: ProviderRead) -> ProviderUpdate:
        """The fields sent, as a provider update. An `aiType` equal to the one shown keeps the
        type (a mistral provider shown as OTHER stays mistral when its DTO is sent back)."""
        new_type = current.type
        if self.aiType is not None and self.aiType != ai_type_of(current.type):
            new_type = PROVIDER_TYPE_OF[self.aiType]
        api_keys = None
        if new_type != "bedrock" and self.secret is not None:
            api_keys = [ProviderKeyChange(api_key=self.secret)]
        aws = new_type == "bedrock"
        return ProviderUpdate(
            display_name=self.name,
            type=new_type if new_type != current.type else None,
            base_url=self.endpoint,
            api_keys=api_keys,
            aws_access_key=self.key if aws else None,
            aws_access_key_secret=self.secret if aws else None,
        )


class Repo(BaseModel):
    id: str
    name: str
    createdAt: str


class AiLlmDTO(BaseModel):
    id: str
    # aiport has no organisations: the workspace is the tenant, so it stands in for the org.
    orgId: str
    workspaceId: str
    # The creator's user id; "" when unknown (made before creators were recorded).
    userId: str
    name: str
    aiType: str
    endpoint: str
    key: None = None
    createdAt: str
    # aiport has no repositories to link.
    repos: list[Repo] = Field(default_factory=list)

    @classmethod
    def of(cls, provider: ProviderRead) -> AiLlmDTO:
        return cls(
            id=str(provider.id),
            orgId=str(provider.workspace_id),
            workspaceId=str(provider.workspace_id),
            userId=str(provider.created_by) if provider.created_by is not None else "",
            name=provider.label,
            aiType=ai_type_of(provider.type),
            endpoint=provider.base_url,
            createdAt=flashback_time(provider.created_at),
        )


class CreateResponse(BaseModel):
    success: bool = True
    aiLlmId: str
    message: str = CREATED


class UpdateResponse(BaseModel):
    success: bool = True
    aiLlmId: str
    message: str = UPDATED


class ListResponse(BaseModel):
    success: bool = True
    aiLlms: list[AiLlmDTO]

    @classmethod
    def of(cls, providers: list[ProviderRead]) -> ListResponse:
        return cls(aiLlms=[AiLlmDTO.of(p) for p in providers])


class MessageResponse(BaseModel):
    success: bool
    message: str

    @classmethod
    def of_check(cls, check: ProviderCheckRead) -> MessageResponse:
        """The check ran: its outcome is in `success`, the upstream's answer in `message`."""
        if check.status in _WORKING:
            return cls(success=True, message=VALIDATED)
        return cls(success=False, message=NOT_VALIDATED + check.message)


class StatsRow(BaseModel):
    """Counters are decimal strings (Flashback serialises bigints so)."""

    aiLlmId: str
    totalApiCalls: str
    totalTokensIn: str
    totalTokensOut: str
    totalLlmTokensIn: str
    totalLlmTokensOut: str
    # aiport has no policies, alerts or blocks.
    totalPolicyViolations: str = "0"
    totalAlerts: str = "0"
    totalBlocks: str = "0"

    @classmethod
    def of(cls, usage: ProviderUsage) -> StatsRow:
        """API calls are gateway calls plus credential checks (each `/validate` is one call)."""
        return cls(
            aiLlmId=str(usage.provider_id),
            totalApiCalls=str(usage.gateway_calls + usage.checks),
            totalTokensIn=str(usage.input_tokens),
            totalTokensOut=str(usage.output_tokens),
            totalLlmTokensIn=str(usage.llm_input_tokens),
            totalLlmTokensOut=str(usage.llm_output_tokens),
        )


class StatsResponse(BaseModel):
    success: bool = True
    stats: list[StatsRow]

    @classmethod
    def of(cls, usage: list[ProviderUsage]) -> StatsResponse:
        return cls(stats=[StatsRow.of(u) for u in usage])


def newest_first(providers: list[ProviderRead]) -> list[ProviderRead]:
    """Flashback sorts `/available` by `createdAt` descending; the list does the same (F12)."""
    return sorted(providers, key=lambda p: (p.created_at, str(p.id)), reverse=True)
