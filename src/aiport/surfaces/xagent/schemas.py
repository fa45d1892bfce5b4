"""Xagent's request and response bodies, and their translation to the models domain.

aiport adds one optional request field, `aiport_provider`: the name of a provider of the
workspace whose keys the model uses instead of an `api_key` of its own. Responses keep
Xagent's 17 keys exactly, so it is write-only here (the audit log shows it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from aiport.models.schemas import (
    ConfigType,
    ConnectionCheck,
    ModelCheckResult,
    ModelCreate,
    ModelDefaultRead,
    ModelDefaultView,
    ModelUpdate,
    ModelView,
    abilities_problem,
    storable,
)

# Speech (April+) and rerank (latest) parameters: accepted, stored, never echoed.
_SETTINGS_FIELDS = ("language", "voice", "format", "sample_rate", "top_n", "instruct")
_STRIPPED = ("model_id", "model_provider", "model_name", "api_key", "base_url", "aiport_provider")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _texts(value: Any) -> list[str]:
    if isinstance(value, SecretStr):
        return [value.get_secret_value()]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    return []


class _StorableText(BaseModel):
    """Every text the store keeps must be storable; otherwise a 422, not a database error."""

    @model_validator(mode="after")
    def _text_is_storable(self) -> Any:
        for name in type(self).model_fields:
            if not all(storable(t) for t in _texts(getattr(self, name))):
                raise ValueError(f"{name} must not contain NUL characters or unpaired surrogates")
        return self


class _ModelFields(_StorableText):
    api_key: SecretStr | None = None
    base_url: str | None = None
    temperature: float | None = Field(default=None, allow_inf_nan=False)
    dimension: int | None = Field(default=None, ge=1, le=2_147_483_647)
    abilities: list[str] | None = None
    description: str | None = None
    aiport_provider: str | None = Field(default=None, max_length=200)
    language: str | None = None
    voice: str | None = None
    format: str | None = None
    sample_rate: int | None = None
    top_n: int | None = None
    instruct: str | None = None

    @field_validator(*_STRIPPED, mode="before", check_fields=False)
    @classmethod
    def _strip_whitespace(cls, value: Any) -> Any:
        return _strip(value)

    def _settings(self) -> dict[str, Any] | None:
        sent = {k: getattr(self, k) for k in _SETTINGS_FIELDS if k in self.model_fields_set}
        return sent or None


class XagentModelCreate(_ModelFields):
    """Body of `POST /api/models/register` (and `POST /api/models/`)."""

    model_id: str = Field(min_length=1, max_length=255)
    category: str = "llm"
    model_provider: str = Field(min_length=1, max_length=64)
    model_name: str = Field(min_length=1, max_length=255)
    share_with_users: bool = False

    @model_validator(mode="after")
    def _abilities_fit_category(self) -> XagentModelCreate:
        problem = abilities_problem(self.category, self.abilities)
        if problem:
            raise ValueError(problem)
        return self

    def to_domain(self) -> ModelCreate:
        return ModelCreate(
            model_id=self.model_id,
            model_provider=self.model_provider,
            model_name=self.model_name,
            category=self.category,
            api_key=self.api_key,
            base_url=self.base_url or None,
            temperature=self.temperature,
            dimension=self.dimension,
            abilities=self.abilities,
            description=self.description,
            is_shared=self.share_with_users,
            key_provider=self.aiport_provider or None,
            settings=self._settings(),
        )


class XagentModelUpdate(_ModelFields):
    """Body of `PUT /api/models/{model_id}`: only the keys sent apply; `model_id` is ignored."""

    category: str | None = None
    model_provider: str | None = Field(default=None, max_length=64)
    model_name: str | None = Field(default=None, max_length=255)
    share_with_users: bool | None = None

    @model_validator(mode="after")
    def _abilities_fit_category(self) -> XagentModelUpdate:
        # As Xagent: checked here only when both are sent; the service checks the rest (M6).
        if self.category is not None:
            problem = abilities_problem(self.category, self.abilities)
            if problem:
                raise ValueError(problem)
        return self

    def to_domain(self) -> ModelUpdate:
        renamed = {"share_with_users": "is_shared", "aiport_provider": "key_provider"}
        fields = {
            renamed.get(name, name): getattr(self, name)
            for name in self.model_fields_set
            if name not in _SETTINGS_FIELDS
        }
        if settings := self._settings():
            fields["settings"] = settings
        return ModelUpdate.model_validate(fields)


class ModelWithAccessInfo(BaseModel):
    """A model as Xagent returns it: exactly these 17 keys, never the key."""

    id: int
    model_id: str
    category: str
    model_provider: str
    model_name: str
    base_url: str | None
    temperature: float | None
    dimension: int | None
    abilities: list[str] | None
    description: str | None
    created_at: str | None
    updated_at: str | None
    is_active: bool
    is_owner: bool
    can_edit: bool
    can_delete: bool
    is_shared: bool

    @classmethod
    def of(cls, view: ModelView) -> ModelWithAccessInfo:
        row = view.row
        return cls(
            id=row.id,
            model_id=row.model_id,
            category=row.category,
            model_provider=row.model_provider,
            model_name=row.model_name,
            base_url=row.base_url,
            temperature=row.temperature,
            dimension=row.dimension,
            abilities=row.abilities,
            description=row.description,
            created_at=_iso(row.created_at),
            updated_at=_iso(row.updated_at),
            is_active=row.is_active,
            is_owner=view.is_owner,
            can_edit=view.can_edit,
            can_delete=view.can_delete,
            is_shared=view.is_shared,
        )


class ModelConnectionTestRequest(_StorableText):
    model_provider: str = Field(min_length=1, max_length=64)
    model_name: str = Field(min_length=1, max_length=255)
    api_key: SecretStr | None = None
    base_url: str | None = None
    category: str = "llm"
    temperature: float | None = Field(default=None, allow_inf_nan=False)
    dimension: int | None = None
    abilities: list[str] | None = None
    top_n: int | None = None
    instruct: str | None = None

    @field_validator("model_provider", "model_name", "api_key", "base_url", mode="before")
    @classmethod
    def _strip_whitespace(cls, value: Any) -> Any:
        return _strip(value)

    def to_domain(self) -> ConnectionCheck:
        return ConnectionCheck(
            model_provider=self.model_provider,
            model_name=self.model_name,
            category=self.category,
            api_key=self.api_key,
            base_url=self.base_url,
            temperature=self.temperature,
            dimension=self.dimension,
            abilities=self.abilities,
        )


class ModelTestRequest(BaseModel):
    model_ids: list[str] | None = None


class ModelTestResponse(BaseModel):
    model_id: str
    status: Literal["passed", "failed"]
    response_time: float | None
    message: str | None
    error: str | None

    @classmethod
    def of(cls, result: ModelCheckResult) -> ModelTestResponse:
        return cls(
            model_id=result.model_id,
            status=result.status,
            response_time=result.response_time,
            message=result.message,
            error=result.error,
        )


class UserDefaultModelCreate(BaseModel):
    """Note: `model_id` here is the model's integer `id`, as in Xagent."""

    model_id: int
    config_type: ConfigType


class UserDefaultModelResponse(BaseModel):
    id: int
    user_id: int
    model_id: int
    config_type: str
    created_at: str | None
    updated_at: str | None

    @classmethod
    def of(cls, row: ModelDefaultRead) -> UserDefaultModelResponse:
        return cls(
            id=row.id,
            user_id=row.user_id,
            model_id=row.model_id,
            config_type=row.config_type,
            created_at=_iso(row.created_at),
            updated_at=_iso(row.updated_at),
        )


class UserDefaultWithModel(UserDefaultModelResponse):
    model: ModelWithAccessInfo

    @classmethod
    def of_view(cls, view: ModelDefaultView) -> UserDefaultWithModel:
        base = UserDefaultModelResponse.of(view.default)
        return cls(**base.model_dump(), model=ModelWithAccessInfo.of(view.model))


class Message(BaseModel):
    message: str
