"""Registered models (Xagent's `model_id`) as gateway routes, resolved once and cached.

A model either draws its keys from a workspace provider, and then routes to that provider's
cached entry (same keys, cooldowns and invalidation), or carries its own key, and then gets an
entry of its own. A model change drops the workspace's entries at once, a provider change
every entry (`Gateway.apply_change`); `ttl` is only a backstop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.adapters import AdapterRegistry, MalformedSecret, UnknownProviderType, secret_from
from aiport.cache import Cache
from aiport.gateway.errors import GatewayError
from aiport.gateway.keys import Key, KeyPool
from aiport.gateway.schemas import Caller, ProviderEntry, Route, adapter_settings
from aiport.models.schemas import CallTarget
from aiport.models.service import resolve_for_gateway
from aiport.vault import KeyRing

ProviderLookup = Callable[[int, str], Awaitable[ProviderEntry | None]]


class ModelUnavailable(GatewayError):
    """The registered model exists but cannot be called as it stands (its reason says why)."""

    code = "model_unavailable"
    status = 503


class RegisteredModels:
    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        keyring: KeyRing,
        adapters: AdapterRegistry,
        provider: ProviderLookup,
        ttl: float,
        negative_ttl: float,
    ):
        self._sessionmaker = sessionmaker
        self._keyring = keyring
        self._adapters = adapters
        self._provider = provider
        self.cache: Cache[tuple[int, int, str], CallTarget | None] = Cache(
            ttl=ttl, negative_ttl=negative_ttl
        )
        self._own: dict[tuple[int, int, str], tuple[CallTarget, ProviderEntry]] = {}

    async def resolve(self, caller: Caller, model_id: str) -> Route | None:
        key = (caller.workspace_id, caller.user_id, model_id)
        target = await self.cache.get(key, self._load)
        if target is None:
            return None
        if target.problem and not (target.provider_name and not target.provider_enabled):
            raise ModelUnavailable(f'model "{model_id}" cannot be called: {target.problem}')
        if target.provider_name is not None:
            provider = await self._provider(caller.workspace_id, target.provider_name)
            if provider is None:
                raise ModelUnavailable(f'model "{model_id}" cannot be called: its provider is gone')
            # The provider's own rules (disabled → 503) apply through the router.
            return Route(provider, target.model_name)
        return Route(self._own_entry(key, target), target.model_name)

    def invalidate(self, workspace_id: int | None = None) -> None:
        if workspace_id is None:
            self.cache.invalidate()
            self._own.clear()
            return
        self.cache.invalidate(lambda key: key[0] == workspace_id)
        for key in [k for k in self._own if k[0] == workspace_id]:
            del self._own[key]

    async def _load(self, key: tuple[int, int, str]) -> CallTarget | None:
        workspace_id, user_id, model_id = key
        async with self._sessionmaker() as session:
            return await resolve_for_gateway(
                session, self._keyring, workspace_id, model_id, user_id=user_id
            )

    def _own_entry(self, key: tuple[int, int, str], target: CallTarget) -> ProviderEntry:
        """One entry per resolved target, kept while the target is, so its pool rotates."""
        cached = self._own.get(key)
        if cached is not None and cached[0] is target:
            return cached[1]
        try:
            adapter = self._adapters.get(target.provider_type)
        except UnknownProviderType:
            raise ModelUnavailable(
                f'model "{target.model_id}" has a provider type aiport cannot call'
            ) from None
        keys = []
        for position, call_key in enumerate(target.keys):
            try:
                secret = secret_from(call_key.kind, call_key.plaintext)
            except MalformedSecret:
                continue
            keys.append(Key(call_key.credential_id, secret, 1, position))
        entry = ProviderEntry(
            id=None,
            workspace_id=key[0],
            name=target.model_id,
            type=target.provider_type,
            base_url=target.base_url,
            enabled=True,
            settings=adapter_settings(target.settings),
            models=frozenset(),
            pool=KeyPool(keys),
            adapter=adapter,
        )
        self._own[key] = (target, entry)
        return entry
