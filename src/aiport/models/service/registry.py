"""Registering, changing, sharing and removing models: Xagent's rules on aiport's store."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.actions.service import ActionRecorder
from aiport.audit.service import AuditService
from aiport.changes.hooks import mark
from aiport.changes.kinds import ModelChanged
from aiport.credentials.sealing import seal
from aiport.db.tables import Credential, Model
from aiport.db.types import utcnow
from aiport.models import catalog, snapshots
from aiport.models.errors import (
    InvalidAbilities,
    InvalidCategory,
    KeyProviderNotFound,
    KeySourceConflict,
    ModelIdTaken,
    ModelIsDefault,
    NotModelOwner,
    SharedModelLocked,
    SharingNotAllowed,
    UnsupportedModelName,
)
from aiport.models.repository import ModelRepository
from aiport.models.schemas import (
    CATEGORIES,
    SETTINGS_FIELDS,
    ModelCreate,
    ModelFilter,
    ModelSummary,
    ModelUpdate,
    ModelView,
    PublicModel,
    abilities_problem,
    storable,
)
from aiport.models.service.access import find_model, view_of, views_of
from aiport.vault import KeyRing
from aiport.workspaces.access import WorkspaceAccess

_AUDITED_FIELDS = (
    "category",
    "model_provider",
    "model_name",
    "base_url",
    "temperature",
    "dimension",
    "abilities",
    "description",
    "is_shared",
    "settings",
)


def _check_abilities(category: str, abilities: list[str] | None) -> None:
    problem = abilities_problem(category, abilities)
    if problem:
        raise InvalidAbilities(problem)


def _check_model_name(model_provider: str, model_name: str) -> None:
    if catalog.normalize_provider(model_provider) == "deepseek" and (
        model_name not in catalog.DEEPSEEK_MODELS
    ):
        raise UnsupportedModelName(
            f"Unsupported DeepSeek model '{model_name}'. "
            f"Supported models: {', '.join(catalog.DEEPSEEK_MODELS)}"
        )


def _settings_for(category: str, settings: dict[str, Any] | None) -> dict[str, Any] | None:
    """Only the parameters the category uses, and only those given."""
    kept = {
        k: v
        for k, v in (settings or {}).items()
        if k in SETTINGS_FIELDS.get(category, ()) and v is not None
    }
    return kept or None


def _apply_category_rules(model: Model) -> None:
    """Xagent persists `temperature` for llm models only and `dimension` for embeddings only."""
    if model.category != "llm":
        model.temperature = None
    if model.category != "embedding":
        model.dimension = None
    model.settings = _settings_for(model.category, model.settings)


def _snapshot(
    model: Model, credential: Credential | None, key_provider: str | None
) -> dict[str, Any]:
    state = {name: getattr(model, name) for name in _AUDITED_FIELDS}
    state["api_key_masked"] = credential.mask if credential else None
    state["key_provider"] = key_provider
    return state


class ModelService:
    """Xagent's model CRUD within one workspace: owners edit, workspace admins share."""

    def __init__(self, session: AsyncSession, keyring: KeyRing):
        self.session = session
        self.keyring = keyring
        self.models = ModelRepository(session)
        self.actions = ActionRecorder(session, keyring)

    async def create(self, access: WorkspaceAccess, data: ModelCreate) -> ModelView:
        """Register a model; checks run in Xagent's order so the same input gets the same error."""
        _check_abilities(data.category, data.abilities)
        workspace_id, user_id = access.workspace_id, access.principal.user_id
        if await self.models.get_by_model_id(workspace_id, data.model_id) is not None:
            raise ModelIdTaken()
        if data.is_shared and not access.is_admin:
            raise SharingNotAllowed("Only administrators can share models with all users")
        _check_model_name(data.model_provider, data.model_name)
        if data.category not in CATEGORIES:
            raise InvalidCategory()
        secret = data.api_key.get_secret_value().strip() if data.api_key else ""
        if secret and data.key_provider:
            raise KeySourceConflict()
        provider_id = await self._provider_id(workspace_id, data.key_provider)
        model_provider = catalog.normalize_provider(data.model_provider)
        model = Model(
            workspace_id=workspace_id,
            owner_user_id=user_id,
            model_id=data.model_id,
            category=data.category,
            model_provider=model_provider,
            model_name=data.model_name,
            base_url=data.base_url or catalog.default_base_url(model_provider),
            temperature=data.temperature,
            dimension=data.dimension,
            abilities=data.abilities,
            description=data.description,
            settings=data.settings,
            provider_id=provider_id,
            is_active=True,
            is_shared=data.is_shared,
        )
        _apply_category_rules(model)
        try:
            async with self.session.begin_nested():
                await self.models.add(model)
        except IntegrityError:
            # Another request registered the same model_id between the check and the insert.
            raise ModelIdTaken() from None
        credential = await self._store_key(model, secret, None) if secret else None
        await self._changed(
            access,
            "model.create",
            model,
            {"after": _snapshot(model, credential, data.key_provider)},
            before=None,
            after=snapshots.capture(model, credential),
        )
        return await view_of(self.models, model, user_id)

    async def get(self, access: WorkspaceAccess, ident: str) -> ModelView:
        model = await find_model(self.models, access, ident)
        return await view_of(self.models, model, access.principal.user_id)

    async def list_models(self, access: WorkspaceAccess, query: ModelFilter) -> list[ModelView]:
        if not all(storable(v) for v in (query.category, query.model_provider) if v):
            return []
        if query.model_provider is not None:
            query = query.model_copy(
                update={"model_provider": catalog.normalize_provider(query.model_provider)}
            )
        rows = await self.models.list_visible(access.workspace_id, access.principal.user_id, query)
        return await views_of(self.models, rows, access.principal.user_id)

    async def update(self, access: WorkspaceAccess, ident: str, data: ModelUpdate) -> ModelView:
        """Apply the fields the client sent. Null for a required field means "no change" (M5);
        an empty or masked `api_key` keeps the stored key."""
        model = await find_model(self.models, access, ident)
        if model.owner_user_id != access.principal.user_id:
            raise NotModelOwner("No permission to edit this model")
        sent = data.model_fields_set
        credential = await self.models.credential_of(model.id)
        before = _snapshot(model, credential, await self._provider_name(model))
        unsharing = "is_shared" in sent and data.is_shared is False and model.is_shared
        # Un-sharing drops the others' defaults on the model: then they are part of the change.
        dropped = (
            await self.models.defaults_pointing_at(model.id, except_user=model.owner_user_id)
            if unsharing
            else None
        )
        state_before = snapshots.capture(model, credential, dropped)
        category = data.category if "category" in sent and data.category else model.category
        abilities = data.abilities if "abilities" in sent else model.abilities
        if model.is_shared and not unsharing:
            self._check_shared_lock(model, category, abilities)
        if data.is_shared and not access.is_admin:
            raise SharingNotAllowed("Only administrators can enable global sharing")
        if category not in CATEGORIES:
            raise InvalidCategory()
        if "abilities" in sent or category != model.category:
            _check_abilities(category, abilities)
        model_provider = catalog.normalize_provider(data.model_provider or model.model_provider)
        model_name = data.model_name or model.model_name
        if data.model_provider or data.model_name:
            _check_model_name(model_provider, model_name)
        if unsharing:
            if await self.models.is_default_of(model.id, model.owner_user_id):
                raise ModelIsDefault(
                    "Cannot un-share: you have this model as your default. Change default first."
                )
            await self.models.delete_defaults_of_others(model.id, model.owner_user_id)
        credential = await self._apply_key_source(model, data, credential)
        model.category, model.abilities = category, abilities
        model.model_provider, model.model_name = model_provider, model_name
        if "base_url" in sent:
            model.base_url = data.base_url or None
        for name in ("temperature", "dimension", "description"):
            if name in sent:
                setattr(model, name, getattr(data, name))
        if data.settings:
            model.settings = {**(model.settings or {}), **data.settings}
        if "is_shared" in sent and data.is_shared is not None:
            model.is_shared = data.is_shared
        _apply_category_rules(model)
        model.updated_at = utcnow()
        await self.models.flush()
        after = _snapshot(model, credential, await self._provider_name(model))
        changes = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
        await self._changed(
            access,
            "model.update",
            model,
            {"changes": changes},
            before=state_before,
            after=snapshots.capture(model, credential, [] if unsharing else None),
        )
        return await view_of(self.models, model, access.principal.user_id)

    async def delete(self, access: WorkspaceAccess, ident: str) -> None:
        """Remove the model with its key and every default that points at it."""
        model = await find_model(self.models, access, ident)
        if model.owner_user_id != access.principal.user_id:
            raise NotModelOwner("No permission to delete this model")
        if await self.models.is_default_of(model.id, access.principal.user_id):
            raise ModelIsDefault(
                "Cannot delete: you have this model as your default. Change default first."
            )
        credential = await self.models.credential_of(model.id)
        before = _snapshot(model, credential, await self._provider_name(model))
        state_before = snapshots.capture(
            model, credential, await self.models.defaults_pointing_at(model.id)
        )
        await self._changed(
            access, "model.delete", model, {"before": before}, before=state_before, after=None
        )
        await self.models.delete(model)

    # Lists over the caller's active models.

    async def _active(self, access: WorkspaceAccess) -> list[Model]:
        return list(
            await self.models.list_active_visible(access.workspace_id, access.principal.user_id)
        )

    async def categories(self, access: WorkspaceAccess) -> list[str]:
        return sorted({m.category for m in await self._active(access)})

    async def model_providers(self, access: WorkspaceAccess) -> list[str]:
        return sorted({m.model_provider for m in await self._active(access)})

    async def abilities(self, access: WorkspaceAccess) -> list[str]:
        return sorted({a for m in await self._active(access) for a in (m.abilities or [])})

    async def summary(self, access: WorkspaceAccess) -> ModelSummary:
        return ModelSummary.of(await self._active(access))

    async def public_models(
        self,
        workspace_id: int | None,
        *,
        category: str | None = None,
        model_provider: str | None = None,
        limit: int | None = None,
    ) -> list[PublicModel]:
        """What Xagent's unauthenticated listings show. Xagent shows every active model of every
        user; aiport shows only the shared models of the one workspace an operator opened (M8)."""
        if workspace_id is None or not all(storable(v) for v in (category, model_provider) if v):
            return []
        rows = await self.models.list_shared_active(
            workspace_id,
            category=category,
            model_provider=catalog.normalize_provider(model_provider) if model_provider else None,
            limit=limit,
        )
        return [PublicModel.of(row) for row in rows]

    # Rules and helpers.

    @staticmethod
    def _check_shared_lock(model: Model, category: str, abilities: list[str] | None) -> None:
        """Others may hold a shared model as a default that needs its category and abilities."""
        locked = []
        if category != model.category:
            locked.append("category")
        if set(abilities or []) != set(model.abilities or []):
            locked.append("abilities")
        if locked:
            raise SharedModelLocked(locked)

    async def _provider_id(self, workspace_id: int, name: str | None) -> uuid.UUID | None:
        if not name:
            return None
        provider = await self.models.live_provider(workspace_id, name)
        if provider is None:
            raise KeyProviderNotFound(name)
        return provider.id

    async def _provider_name(self, model: Model) -> str | None:
        if model.provider_id is None:
            return None
        providers = await self.models.providers_by_id([model.provider_id])
        provider = providers.get(model.provider_id)
        return provider.name if provider else None

    async def _apply_key_source(
        self, model: Model, data: ModelUpdate, credential: Credential | None
    ) -> Credential | None:
        """A new own key drops the provider link; naming a provider drops the own key."""
        sent = data.model_fields_set
        secret = data.api_key.get_secret_value().strip() if data.api_key else ""
        if credential is not None and secret == credential.mask:
            secret = ""  # the masked value sent back means "keep it" (DESIGN.md §1)
        if "key_provider" in sent:
            if data.key_provider and secret:
                raise KeySourceConflict()
            model.provider_id = await self._provider_id(model.workspace_id, data.key_provider)
            if model.provider_id is not None and credential is not None:
                await self.models.delete_credentials(model.id)
                credential = None
        if secret:
            model.provider_id = None
            credential = await self._store_key(model, secret, credential)
        return credential

    async def _store_key(
        self, model: Model, secret: str, existing: Credential | None
    ) -> Credential:
        """Encrypt the key bound to its credential row; only the mask is ever shown."""
        credential = existing or Credential(id=uuid.uuid4(), model_id=model.id, kind="api_key")
        seal(self.keyring, credential, secret)
        credential.updated_at = utcnow()
        if existing is None:
            await self.models.add_credential(credential)
        return credential

    async def _changed(
        self,
        access: WorkspaceAccess,
        action: str,
        model: Model,
        diff: dict[str, Any],
        *,
        before: snapshots.ModelSnapshot | None,
        after: snapshots.ModelSnapshot | None,
    ) -> None:
        """Every change passes here: its audit event (masked) and, in a client session, its
        undoable Action with the whole state before and after, in the change's transaction."""
        mark(self.session, ModelChanged(access.workspace_id))
        key = snapshots.model_key(model)
        await self.actions.record(
            access.principal,
            workspace_id=access.workspace_id,
            action_type=action,
            before={snapshots.MODELS: {key: before}},
            after={snapshots.MODELS: {key: after}},
        )
        await AuditService(self.session, access.principal).record(
            action=action,
            target_type="model",
            target_id=model.model_id,
            workspace_id=access.workspace_id,
            diff=diff,
        )
