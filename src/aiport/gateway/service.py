"""The gateway's state and rules: who is calling, where a model leads, and what may be used.

Everything a request needs in steady state is in memory: callers by token, providers with
their decrypted keys and registered models (each dropped by the changes that concern it),
cooldowns, rate-limit counters. The database is read only on a cache miss and written only by
the usage task.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import aiohttp
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.adapters import AdapterRegistry, MalformedSecret, UnknownProviderType, Upstream
from aiport.auth.principal import InvalidToken, MissingToken
from aiport.auth.tokens import hash_token, is_plausible_token
from aiport.cache import Cache
from aiport.changes import hub
from aiport.changes.bus import ChangeBus
from aiport.changes.kinds import (
    AnythingChanged,
    Change,
    IdentityChanged,
    ModelChanged,
    ProviderChanged,
)
from aiport.credentials.sealing import open_call_secret
from aiport.db.tables import Provider
from aiport.db.types import utcnow
from aiport.gateway.catalog import ModelCatalog
from aiport.gateway.errors import NO_MODEL_NAMED, ProviderDisabled
from aiport.gateway.keys import Cooldowns, Key, KeyPool
from aiport.gateway.ratelimit import RateLimits
from aiport.gateway.registered import RegisteredModels
from aiport.gateway.repository import GatewayRepository
from aiport.gateway.schemas import Caller, ProviderEntry, Route, Usage, adapter_settings
from aiport.gateway.upstream import Answer, UpstreamSender
from aiport.gateway.usage import UsageRecorder
from aiport.models.errors import ModelNotFound
from aiport.runtime import Runtime
from aiport.vault import KeyRing
from aiport.workspaces.access import select_workspace, workspace_header

logger = logging.getLogger("aiport.gateway")

# Young-generation collections every 10,000 allocations instead of 700: a request allocates
# hundreds of short-lived objects that reference counting frees anyway.
GC_THRESHOLDS = (10_000, 20, 20)
_GC_TUNED = False


def tune_garbage_collector() -> None:
    """Once per process, when the first app has started: the modules and tables loaded by then
    are ~150,000 objects that never die. Frozen, the cyclic GC stops rescanning them, which
    otherwise costs a 50-100 ms pause (a p99 spike on the hot path) every few thousand requests."""
    global _GC_TUNED
    if _GC_TUNED:
        return
    _GC_TUNED = True
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class ModelResolver(Protocol):
    """Finds a registered model by its `model_id` (Xagent's models), for names that are not
    `<provider>/<model>`. `RegisteredModels` is the one in use; tests may plug in another."""

    async def resolve(self, caller: Caller, model_id: str) -> Route | None: ...

    def invalidate(self, workspace_id: int | None = None) -> None:
        """Forget what was resolved in the workspace (a model changed), or everywhere (None)."""
        ...


@dataclass(frozen=True)
class GatewayConfig:
    auth_ttl: float = 5.0
    provider_ttl: float = 300.0
    negative_ttl: float = 2.0
    per_token_limit: int = 0
    per_workspace_limit: int = 0
    limit_window: float = 60.0
    usage_interval: float = 0.25
    models_ttl: float = 300.0
    max_body_bytes: int = 32 * 1024 * 1024


class Gateway:
    @classmethod
    def from_runtime(cls, runtime: Runtime, models: ModelResolver | None = None) -> Gateway:
        """The gateway of one process, over the lifespan's engine, key ring and HTTP session."""
        settings = runtime.settings
        config = GatewayConfig(
            auth_ttl=settings.auth_cache_ttl,
            per_token_limit=settings.gateway_rate_limit_per_token,
            per_workspace_limit=settings.gateway_rate_limit_per_workspace,
            limit_window=settings.gateway_rate_limit_window,
            models_ttl=settings.models_cache_ttl,
            max_body_bytes=settings.gateway_max_body_bytes,
        )
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=settings.upstream_connect_timeout,
            sock_read=settings.upstream_read_timeout,
        )
        return cls(
            config=config,
            sessionmaker=runtime.sessionmaker,
            keyring=runtime.keyring,
            adapters=runtime.adapters,
            upstream=Upstream(runtime.http, timeout),
            redis=runtime.redis,
            changes=runtime.changes,
            models=models,
        )

    def __init__(
        self,
        *,
        config: GatewayConfig,
        sessionmaker: async_sessionmaker[AsyncSession],
        keyring: KeyRing,
        adapters: AdapterRegistry,
        upstream: Upstream,
        redis: Redis | None,
        changes: ChangeBus,
        models: ModelResolver | None = None,
    ):
        self.config = config
        self._sessionmaker = sessionmaker
        self._keyring = keyring
        self.adapters = adapters
        self.cooldowns = Cooldowns()
        self.sender = UpstreamSender(upstream, self.cooldowns)
        self.callers: Cache[tuple[str, int | None], Caller | None] = Cache(
            ttl=config.auth_ttl, negative_ttl=config.negative_ttl
        )
        self.providers: Cache[tuple[int, str], ProviderEntry | None] = Cache(
            ttl=config.provider_ttl, negative_ttl=config.negative_ttl
        )
        self.limits = RateLimits(
            per_token=config.per_token_limit,
            per_workspace=config.per_workspace_limit,
            window=config.limit_window,
            redis=redis,
        )
        self.catalog = ModelCatalog(upstream, config.models_ttl)
        self.models: ModelResolver = models or RegisteredModels(
            sessionmaker=sessionmaker,
            keyring=keyring,
            adapters=adapters,
            provider=self.provider,
            ttl=config.auth_ttl,
            negative_ttl=config.negative_ttl,
        )
        self.usage = UsageRecorder(sessionmaker, interval=config.usage_interval)
        self.changes = changes
        self._check_counter = changes.uses_counter
        self._unsubscribe: Callable[[], None] = lambda: None

    async def start(self) -> None:
        self._unsubscribe = hub.subscribe(self.apply_change)
        self.usage.start()
        tune_garbage_collector()

    async def stop(self) -> None:
        self._unsubscribe()
        await self.usage.stop()

    # Who is calling.

    async def authenticate(self, token: str | None, workspace: str | None) -> Caller:
        """The caller of a token, in the workspace `workspaces.access` picks (`workspace` is the
        raw `AIPort-Workspace` header); counted against the rate limits."""
        if self._check_counter:
            self.changes.check_counter()
        if not token:
            raise MissingToken("no API token in the request")
        if not is_plausible_token(token):
            raise InvalidToken("the API token is not valid")
        # Keyed by the token itself (hashing it costs more than the rest of the lookup) and the
        # workspace id the header names, parsed first so a padded header is no new cache entry.
        header_id = None if workspace is None else workspace_header(workspace)
        caller = await self.callers.get((token, header_id), self._load_caller)
        if caller is None:
            raise InvalidToken("the API token is not valid")
        if caller.expires_at is not None and caller.expires_at <= time.time():
            raise InvalidToken("the API token has expired")
        if self.limits.enabled:
            await self.limits.check(caller.token_id, caller.workspace_id)
        return caller

    async def _load_caller(self, key: tuple[str, int | None]) -> Caller | None:
        """The caller of a token (None: unknown or expired) in the workspace the one resolver
        picks from the header's id (`key[1]`), the token's binding or the user's default."""
        token_hash, header_id = hash_token(key[0]), key[1]
        async with self._sessionmaker() as session:
            token = await GatewayRepository(session).token_by_hash(token_hash)
            if token is None:
                return None
            if token.expires_at is not None and token.expires_at <= utcnow():
                return None
            workspace_id, role = await select_workspace(
                session, token.user_id, token.workspace_id, header_id=header_id
            )
            return Caller(
                user_id=token.user_id,
                token_id=token.id,
                workspace_id=workspace_id,
                role=role,
                expires_at=token.expires_at.timestamp() if token.expires_at else None,
            )

    # Where a model leads.

    async def provider(self, workspace_id: int, name: str) -> ProviderEntry | None:
        return await self.providers.get((workspace_id, name), self._load_provider)

    async def route(self, caller: Caller, model: str) -> Route:
        """`<provider name>/<model>`, else a registered model's `model_id`."""
        name, slash, upstream_model = model.partition("/")
        if slash and upstream_model:
            provider = await self.providers.get((caller.workspace_id, name), self._load_provider)
            if provider is not None:
                self.require_usable(provider, upstream_model)
                return Route(provider, upstream_model)
        found = await self.models.resolve(caller, model)
        if found is not None:
            self.require_usable(found.provider, found.model)
            return found
        if not model:
            raise ModelNotFound(NO_MODEL_NAMED)
        raise ModelNotFound(f"model {model!r} not found: use <provider name>/<model>")

    @staticmethod
    def require_usable(provider: ProviderEntry, model: str | None) -> None:
        if not provider.enabled:
            raise ProviderDisabled(provider.name)
        if model is not None and provider.models and model not in provider.models:
            raise ModelNotFound(f'model "{model}" is not enabled on AI provider "{provider.name}"')

    async def _load_provider(self, key: tuple[int, str]) -> ProviderEntry | None:
        workspace_id, name = key
        async with self._sessionmaker() as session:
            row = await GatewayRepository(session).live_provider(workspace_id, name)
            if row is None:
                return None
            return self._entry(row)

    def _entry(self, row: Provider) -> ProviderEntry | None:
        try:
            adapter = self.adapters.get(row.type)
        except UnknownProviderType:
            logger.warning("gateway.provider.unknown_type provider=%s type=%s", row.name, row.type)
            return None
        keys: list[Key] = []
        undecryptable = 0
        for credential in row.credentials:
            try:
                secret = open_call_secret(self._keyring, credential)
            except MalformedSecret:
                secret = None
            if secret is None:
                # A lost key (or a broken pair): skip it, and count it so exhaustion says why.
                undecryptable += 1
                continue
            keys.append(Key(credential.id, secret, max(credential.weight, 0), credential.position))
        return ProviderEntry(
            id=row.id,
            workspace_id=row.workspace_id,
            name=row.name,
            type=row.type,
            base_url=row.base_url,
            enabled=row.enabled,
            settings=adapter_settings(row.settings),
            models=frozenset(row.models or ()),
            pool=KeyPool(keys),
            adapter=adapter,
            undecryptable=undecryptable,
        )

    async def workspace_providers(self, workspace_id: int) -> list[ProviderEntry]:
        """Every live provider of the workspace (for `/v1/models`), through the cache."""
        async with self._sessionmaker() as session:
            rows = await GatewayRepository(session).live_providers(workspace_id)
            names = [row.name for row in rows]
        found = [await self.provider(workspace_id, name) for name in names]
        return [p for p in found if p is not None]

    # Calling and recording.

    async def send(
        self,
        provider: ProviderEntry,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
    ) -> Answer:
        return await self.sender.send(
            provider, provider.adapter, provider.target, method, url, headers, body
        )

    def record(self, usage: Usage) -> None:
        self.usage.record(usage)

    # Changes.

    def apply_change(self, change: Change) -> None:
        """Drop what a change made stale; keys are decrypted again on the next request."""
        match change:
            case IdentityChanged():
                self.callers.invalidate()
            case ProviderChanged(workspace_id=workspace_id):
                self.providers.invalidate(lambda k: k[0] == workspace_id)
                self.catalog.invalidate()
                # A registered model may draw its keys from any provider of the workspace.
                self.models.invalidate(workspace_id)
            case ModelChanged(workspace_id=workspace_id):
                self.models.invalidate(workspace_id)
            case AnythingChanged():
                self.providers.invalidate()
                self.callers.invalidate()
                self.catalog.invalidate()
                self.models.invalidate()
