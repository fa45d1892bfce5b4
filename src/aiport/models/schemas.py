"""Registered models in and out of the service, and the category rules they obey."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, SecretStr

from aiport.db.tables import Model, ModelDefault

# Xagent's documented categories plus rerank (spec M3); anything else is "Invalid model category".
CATEGORIES: tuple[str, ...] = ("llm", "embedding", "image", "speech", "rerank")

# Abilities each category allows; `llm` is not validated (any strings).
ALLOWED_ABILITIES: dict[str, frozenset[str]] = {
    "embedding": frozenset({"embedding"}),
    "image": frozenset({"generate", "edit"}),
    "speech": frozenset({"asr", "tts"}),
    "rerank": frozenset({"rerank"}),
}

# Category-specific parameters kept in `settings`, never echoed by Xagent's responses.
SETTINGS_FIELDS: dict[str, tuple[str, ...]] = {
    "speech": ("language", "voice", "format", "sample_rate"),
    "rerank": ("top_n", "instruct"),
}

ConfigType = Literal[
    "general",
    "small_fast",
    "visual",
    "compact",
    "embedding",
    "image",
    "image_edit",
    "asr",
    "tts",
    "speech",
    "rerank",
]


@dataclass(frozen=True)
class Slot:
    """What a default-model slot needs: a category and, for some, one ability."""

    category: str
    ability: str | None = None


SLOTS: dict[str, Slot] = {
    "general": Slot("llm"),
    "small_fast": Slot("llm"),
    "visual": Slot("llm", "vision"),
    "compact": Slot("llm"),
    "embedding": Slot("embedding"),
    "image": Slot("image"),
    "image_edit": Slot("image", "edit"),
    "asr": Slot("speech"),
    "tts": Slot("speech"),
    "speech": Slot("speech"),
    "rerank": Slot("rerank"),
}


def storable(value: str) -> bool:
    """Text every database stores: no NUL (PostgreSQL refuses it), no unpaired surrogates."""
    if "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _as_set(values: frozenset[str] | set[str]) -> str:
    return "{" + ", ".join(repr(v) for v in sorted(values)) + "}"


def abilities_problem(category: str, abilities: list[str] | None) -> str | None:
    """Xagent's ability rule: checked only when abilities are given and the category has a set."""
    allowed = ALLOWED_ABILITIES.get(category)
    if abilities is None or allowed is None:
        return None
    if not abilities:
        return f"{category.capitalize()} model must have at least one ability"
    invalid = set(abilities) - allowed
    if invalid:
        return (
            f"Invalid abilities for {category} model: {_as_set(invalid)}. "
            f"Valid abilities are: {_as_set(allowed)}"
        )
    return None


class ModelCreate(BaseModel):
    """A model to register. `key_provider` names a workspace provider to draw keys from."""

    model_id: str
    model_provider: str
    model_name: str
    category: str = "llm"
    api_key: SecretStr | None = None
    base_url: str | None = None
    temperature: float | None = None
    dimension: int | None = None
    abilities: list[str] | None = None
    description: str | None = None
    is_shared: bool = False
    key_provider: str | None = None
    settings: dict[str, Any] | None = None


class ModelUpdate(BaseModel):
    """Only the fields set on the instance (`model_fields_set`) are applied."""

    model_provider: str | None = None
    model_name: str | None = None
    category: str | None = None
    api_key: SecretStr | None = None
    base_url: str | None = None
    temperature: float | None = None
    dimension: int | None = None
    abilities: list[str] | None = None
    description: str | None = None
    is_shared: bool | None = None
    key_provider: str | None = None
    settings: dict[str, Any] | None = None


class ModelFilter(BaseModel):
    skip: int = 0
    limit: int = 100
    category: str | None = None
    model_provider: str | None = None
    is_active: bool | None = True


@dataclass(frozen=True)
class ModelView:
    """A model as one caller sees it: Xagent's access flags are computed for that caller."""

    row: Model
    caller_id: int
    key_provider: str | None = None

    @property
    def is_owner(self) -> bool:
        return self.row.owner_user_id == self.caller_id

    @property
    def can_edit(self) -> bool:
        return self.is_owner

    @property
    def can_delete(self) -> bool:
        return self.is_owner

    @property
    def is_shared(self) -> bool:
        # A non-owner sees a model only because it is shared.
        return self.row.is_shared or not self.is_owner


@dataclass(frozen=True)
class PublicModel:
    """A shared model as the unauthenticated listings show it (no key, no owner)."""

    id: int
    model_id: str
    category: str
    model_provider: str
    model_name: str
    abilities: list[str] | None
    description: str | None
    temperature: float | None
    dimension: int | None

    @classmethod
    def of(cls, row: Model) -> PublicModel:
        return cls(
            id=row.id,
            model_id=row.model_id,
            category=row.category,
            model_provider=row.model_provider,
            model_name=row.model_name,
            abilities=row.abilities,
            description=row.description,
            temperature=row.temperature,
            dimension=row.dimension,
        )


@dataclass(frozen=True)
class ModelDefaultRead:
    """One slot of a user's default models, as stored."""

    id: int
    user_id: int
    model_id: int
    config_type: str
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, row: ModelDefault) -> ModelDefaultRead:
        return cls(
            id=row.id,
            user_id=row.user_id,
            model_id=row.model_id,
            config_type=row.config_type,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class ModelDefaultView:
    default: ModelDefaultRead
    model: ModelView


@dataclass(frozen=True)
class ModelSummary:
    total_models: int
    by_category: dict[str, int]
    by_provider: dict[str, int]

    @classmethod
    def of(
        cls, models: Sequence[Model] | Sequence[PublicModel], always: tuple[str, ...] = ()
    ) -> ModelSummary:
        """Counts by category (with `always` present even at zero) and by provider."""
        by_category = dict.fromkeys(always, 0)
        by_provider: dict[str, int] = {}
        for model in models:
            by_category[model.category] = by_category.get(model.category, 0) + 1
            by_provider[model.model_provider] = by_provider.get(model.model_provider, 0) + 1
        return cls(len(models), by_category, by_provider)


class ConnectionCheck(BaseModel):
    """An unsaved model configuration to try against its provider."""

    model_provider: str
    model_name: str
    category: str = "llm"
    api_key: SecretStr | None = None
    base_url: str | None = None
    temperature: float | None = None
    dimension: int | None = None
    abilities: list[str] | None = None


@dataclass(frozen=True)
class ModelCheckResult:
    model_id: str
    status: Literal["passed", "failed"]
    response_time: float | None = None
    message: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CallKey:
    """One decrypted secret of a call target; `kind` as in `credentials.kind`."""

    credential_id: uuid.UUID
    kind: str
    # Kept out of repr so a logged target never shows a key.
    plaintext: str = field(repr=False)


@dataclass(frozen=True)
class CallTarget:
    """Everything needed to call a registered model's upstream, keys decrypted in try order.

    `provider_id`/`provider_name` are set when the keys come from a workspace provider rather
    than the model's own credential; then type, base URL and settings are the provider's.
    """

    model_pk: int
    model_id: str
    model_name: str
    category: str
    provider_type: str
    base_url: str
    settings: dict[str, Any] = field(default_factory=dict)
    keys: list[CallKey] = field(default_factory=list)
    provider_id: uuid.UUID | None = None
    provider_name: str | None = None
    provider_enabled: bool = True
    # Why the target cannot be called as it stands ("" when it can).
    problem: str = ""
