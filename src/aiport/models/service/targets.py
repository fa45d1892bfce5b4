"""From a registered model to what calling it needs: adapter type, base URL, decrypted keys.

`resolve_for_gateway` is the lookup the gateway uses for a `model` that names a registered
model; the connection tests build their targets the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.adapters import AdapterRegistry, UnknownProviderType, Upstream, default_base_url
from aiport.credentials.sealing import UNDECRYPTABLE, open_secret
from aiport.db.tables import Credential, Model
from aiport.models import catalog
from aiport.models.repository import ModelRepository
from aiport.models.schemas import CallKey, CallTarget
from aiport.models.service.access import is_visible
from aiport.vault import KeyRing


@dataclass(eq=False)
class CallingService:
    """What the services that call a model's upstream (tests, discovery) hold: the keys are read
    in short units of work of their own, never inside a transaction held while a provider
    answers, and each call goes through the process's one HTTP session within `timeout`."""

    sessionmaker: async_sessionmaker[AsyncSession]
    keyring: KeyRing
    adapters: AdapterRegistry
    upstream: Upstream
    timeout: float


def _decrypt(keyring: KeyRing, credentials: list[Credential]) -> list[CallKey]:
    keys = []
    for credential in credentials:
        plaintext = open_secret(keyring, credential)
        if plaintext is None:
            continue  # a lost key: the other keys may still work
        keys.append(CallKey(credential.id, credential.kind, plaintext))
    return keys


def _fallback_base_url(provider_type: str) -> str:
    try:
        return default_base_url(provider_type)
    except UnknownProviderType:
        return ""


async def target_for(models: ModelRepository, keyring: KeyRing, model: Model) -> CallTarget:
    """The model's own key and URL, or those of the workspace provider it draws keys from."""
    own = CallTarget(
        model_pk=model.id,
        model_id=model.model_id,
        model_name=model.model_name,
        category=model.category,
        provider_type=catalog.adapter_type(model.model_provider),
        base_url="",
    )
    if model.provider_id is not None:
        provider = (await models.providers_by_id([model.provider_id])).get(model.provider_id)
        if provider is None or provider.deleted_at is not None:
            return replace(
                own,
                provider_id=model.provider_id,
                problem="the provider this model draws its keys from was deleted",
            )
        credentials = [c for c in provider.credentials if c.status != UNDECRYPTABLE]
        keys = _decrypt(keyring, credentials)
        problem = "" if provider.enabled else f"provider '{provider.name}' is disabled"
        if not problem and credentials and not keys:
            problem = f"the keys of provider '{provider.name}' cannot be decrypted"
        return replace(
            own,
            provider_type=provider.type,
            base_url=provider.base_url or _fallback_base_url(provider.type),
            settings=dict(provider.settings or {}),
            keys=keys,
            provider_id=provider.id,
            provider_name=provider.name,
            provider_enabled=provider.enabled,
            problem=problem,
        )
    credential = await models.credential_of(model.id)
    keys = _decrypt(keyring, [credential]) if credential is not None else []
    return replace(
        own,
        base_url=catalog.call_base_url(
            model.model_provider,
            model.base_url
            or catalog.default_base_url(model.model_provider)
            or _fallback_base_url(own.provider_type),
        ),
        keys=keys,
        problem="the model's key cannot be decrypted" if credential and not keys else "",
    )


async def resolve_for_gateway(
    session: AsyncSession,
    keyring: KeyRing,
    workspace_id: int,
    model_id: str,
    *,
    user_id: int | None = None,
) -> CallTarget | None:
    """The call target of the active model `model_id` in the workspace, or None.

    With `user_id`, only a model that user may see (their own, or shared) is returned.
    """
    models = ModelRepository(session)
    model = await models.get_by_model_id(workspace_id, model_id)
    if model is None or not model.is_active:
        return None
    if user_id is not None and not is_visible(model, user_id):
        return None
    return await target_for(models, keyring, model)
