"""Checking a provider's credentials against the provider, and listing its models.

An upstream may take up to `check_timeout` to answer. Holding the request's transaction that
long would hold SQLite's write lock (every transaction begins IMMEDIATE) and stall every other
request, so this service works in two short units of work around the network: the first reads
the provider and decrypts its secrets, the second records what the upstream said. Neither
commits by hand: each unit commits when its block ends, as a request's does.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from aiport.adapters import (
    AdapterRegistry,
    CheckResult,
    CheckStatus,
    CredentialForbidden,
    CredentialRejected,
    DiscoveredModel,
    MalformedSecret,
    NoSecret,
    ProviderError,
    Secret,
    Upstream,
    UpstreamRateLimited,
    UpstreamTarget,
    UpstreamTimeout,
    check_credential,
    discover_models,
)
from aiport.adapters.http import host_of
from aiport.audit.service import AuditService
from aiport.auth.principal import Principal
from aiport.changes.hooks import mark
from aiport.changes.kinds import ProviderChanged
from aiport.checks.errors import ModelsUnavailable, NoUsableCredential
from aiport.checks.repository import ModelCacheRepository
from aiport.checks.schemas import (
    DEGRADED,
    NO_CREDENTIALS,
    CredentialCheckRead,
    ModelListing,
    ModelRead,
    ProviderCheckRead,
)
from aiport.config import Settings
from aiport.credentials.sealing import LOST_KEY_MESSAGE, open_call_secret
from aiport.db.session import unit_of_work
from aiport.db.tables import Provider
from aiport.db.types import utcnow
from aiport.providers.errors import ProviderNotFound
from aiport.providers.repository import ProviderRepository
from aiport.vault import KeyRing
from aiport.workspaces.access import resolve_workspace

logger = logging.getLogger("aiport.checks")

# Failures that belong to one key: listing models moves on to the provider's next key.
_KEY_FAILURES = (CredentialRejected, CredentialForbidden, UpstreamRateLimited)


@dataclass(frozen=True)
class _Subject:
    """One credential to check: its secret, or why there is none to try."""

    id: uuid.UUID
    kind: str
    mask: str
    secret: Secret | None
    failure: CheckResult | None


@dataclass(frozen=True)
class _Plan:
    provider_id: uuid.UUID
    workspace_id: int
    name: str
    target: UpstreamTarget
    subjects: list[_Subject]


def _to_read(model: DiscoveredModel) -> ModelRead:
    return ModelRead(
        id=model.id,
        display_name=model.display_name,
        context_window=model.context_window,
        owned_by=model.owned_by,
    )


@dataclass(eq=False)
class CheckService:
    sessionmaker: async_sessionmaker[AsyncSession]
    keyring: KeyRing
    adapters: AdapterRegistry
    http: aiohttp.ClientSession
    settings: Settings

    def _unit(self) -> AbstractAsyncContextManager[AsyncSession]:
        return unit_of_work(self.sessionmaker)

    def _upstream(self) -> Upstream:
        settings = self.settings
        return Upstream(
            self.http,
            aiohttp.ClientTimeout(
                total=settings.check_timeout,
                sock_connect=settings.upstream_connect_timeout,
                sock_read=settings.upstream_read_timeout,
            ),
        )

    async def _load(
        self,
        session: AsyncSession,
        principal: Principal | None,
        workspace_id: int,
        name: str,
        *,
        admin: bool,
    ) -> Provider:
        """The live provider, after the access rule: members read, admins check.

        `principal=None` is the operator at the CLI, who may act in any workspace.
        """
        if principal is not None:
            access = await resolve_workspace(session, principal, requested_id=workspace_id)
            if admin:
                access.require_admin()
        provider = await ProviderRepository(session).get_live_by_name(workspace_id, name)
        if provider is None:
            raise ProviderNotFound()
        return provider

    def _plan(self, provider: Provider) -> _Plan:
        """Decrypt every credential now, so no secret work happens after the unit ends."""
        subjects = []
        for credential in sorted(provider.credentials, key=lambda c: (c.position, c.created_at)):
            secret: Secret | None = None
            failure: CheckResult | None = None
            try:
                secret = open_call_secret(self.keyring, credential)
            except MalformedSecret as error:
                failure = CheckResult(CheckStatus.INVALID, str(error))
            else:
                if secret is None:
                    failure = CheckResult(CheckStatus.UNDECRYPTABLE, LOST_KEY_MESSAGE)
            subjects.append(
                _Subject(credential.id, credential.kind, credential.mask, secret, failure)
            )
        target = UpstreamTarget(provider.type, provider.base_url, dict(provider.settings or {}))
        return _Plan(provider.id, provider.workspace_id, provider.name, target, subjects)

    async def _check(self, plan: _Plan, secret: Secret) -> CheckResult:
        adapter = self.adapters.for_secret(plan.target.type, secret)
        return await check_credential(
            adapter, self._upstream(), plan.target, secret, within=self.settings.check_timeout
        )

    async def check_provider(
        self, principal: Principal | None, workspace_id: int, name: str
    ) -> ProviderCheckRead:
        """Check every credential of a provider (at once), record each status and the
        provider's, and refresh the model cache from the first key that works. Admins only."""
        async with self._unit() as session:
            provider = await self._load(session, principal, workspace_id, name, admin=True)
            plan = self._plan(provider)
            requires_secret = self.adapters.get(plan.target.type).requires_secret
        pending = [(s.id, s.secret) for s in plan.subjects if s.secret is not None]
        checked = await asyncio.gather(*(self._check(plan, secret) for _, secret in pending))
        outcomes = {
            credential_id: result
            for (credential_id, _), result in zip(pending, checked, strict=True)
        }
        keyless: CheckResult | None = None
        if not plan.subjects and not requires_secret:
            keyless = await self._check(plan, NoSecret())
        now = utcnow()
        results = [(s, outcomes[s.id] if s.failure is None else s.failure) for s in plan.subjects]
        status, message = _overall(results, keyless, plan.target)
        logger.info(
            "provider.check workspace=%s provider=%s status=%s",
            plan.workspace_id,
            plan.name,
            status,
        )
        for subject, outcome in results:
            logger.info(
                "provider.check.credential provider=%s credential=%s status=%s message=%s",
                plan.name,
                subject.id,
                outcome.status.value,
                outcome.message,
            )
        # The first working key's models (or the keyless check's) refresh the listing cache.
        models = next(
            (r.models for _, r in results if r.models is not None),
            keyless.models if keyless else None,
        )
        async with self._unit() as session:
            current = await ProviderRepository(session).get_live(
                plan.workspace_id, plan.provider_id
            )
            if current is None:
                raise ProviderNotFound()
            by_id = {r[0].id: r[1] for r in results}
            for credential in current.credentials:
                result = by_id.get(credential.id)
                if result is not None:
                    credential.status = result.status.value
                    credential.status_message = result.message
                    credential.checked_at = now
            current.check_status = status
            current.check_message = message
            current.checked_at = now
            # Listings show these statuses: tell the caches (after the commit).
            mark(session, ProviderChanged(plan.workspace_id, plan.provider_id, "update"))
            cache = ModelCacheRepository(session)
            await cache.flush()
            if models is not None:
                await cache.put(plan.provider_id, [_to_read(m).model_dump() for m in models], now)
            await AuditService(session, principal).record(
                action="provider.check",
                target_type="provider",
                target_id=str(plan.provider_id),
                workspace_id=plan.workspace_id,
                diff={
                    "status": status,
                    "credentials": {str(s.id): r.status.value for s, r in results},
                },
            )
        return ProviderCheckRead(
            id=plan.provider_id,
            name=plan.name,
            type=plan.target.type,
            status=status,
            message=message,
            checked_at=now,
            credentials=[
                CredentialCheckRead(
                    id=s.id,
                    kind=s.kind,
                    mask=s.mask,
                    status=r.status.value,
                    message=r.message,
                    checked_at=now,
                )
                for s, r in results
            ],
        )

    async def list_models(
        self, principal: Principal | None, workspace_id: int, name: str, *, refresh: bool
    ) -> ModelListing:
        """The provider's models: cached for `models_cache_ttl`, else (or with `refresh`) asked
        of the provider with its keys in order. When the provider fails, the cached list is
        returned marked stale; with nothing cached, the failure is raised. Members too."""
        async with self._unit() as session:
            provider = await self._load(session, principal, workspace_id, name, admin=False)
            row = await ModelCacheRepository(session).get(provider.id)
            cached = (
                ([ModelRead.model_validate(m) for m in row.models], row.fetched_at) if row else None
            )
            if cached and not refresh and _age(cached[1]) < self.settings.models_cache_ttl:
                return _listing(cached, from_cache=True)
            plan = self._plan(provider)
            requires_secret = self.adapters.get(plan.target.type).requires_secret
        secrets: list[Secret] = [s.secret for s in plan.subjects if s.secret is not None]
        if not secrets and not plan.subjects and not requires_secret:
            secrets = [NoSecret()]
        if not secrets:
            why = "no credential that can be decrypted" if plan.subjects else "no credentials"
            if cached:
                return _listing(cached, from_cache=True, error=f"provider {name!r} has {why}")
            raise NoUsableCredential(name, why)
        try:
            models = await self._discover(plan, secrets)
        except ProviderError as error:
            logger.warning(
                "provider.models.failed provider=%s cached=%s reason=%s",
                plan.name,
                cached is not None,
                error.message,
            )
            if cached:
                return _listing(cached, from_cache=True, error=error.message)
            raise ModelsUnavailable(name, error.message) from None
        now = utcnow()
        reads = [_to_read(m) for m in models]
        async with self._unit() as session:
            if await ProviderRepository(session).get_live(plan.workspace_id, plan.provider_id):
                await ModelCacheRepository(session).put(
                    plan.provider_id, [m.model_dump() for m in reads], now
                )
        return ModelListing(models=reads, fetched_at=now, age_seconds=0, from_cache=False)

    async def _discover(self, plan: _Plan, secrets: Sequence[Secret]) -> Sequence[DiscoveredModel]:
        """Try the keys in order until one lists; a host-level failure ends the search."""
        within = self.settings.check_timeout
        last: ProviderError | None = None
        try:
            async with asyncio.timeout(within):
                for secret in secrets:
                    adapter = self.adapters.for_secret(plan.target.type, secret)
                    try:
                        return await discover_models(
                            adapter, self._upstream(), plan.target, secret, within=within
                        )
                    except _KEY_FAILURES as error:
                        last = error
        except TimeoutError:
            host = host_of(plan.target.base_url)
            raise UpstreamTimeout(f"{host} did not answer within {within:g} s", host=host) from None
        assert last is not None
        raise last


def _age(fetched_at: datetime) -> float:
    return max((utcnow() - fetched_at).total_seconds(), 0.0)


def _listing(
    cached: tuple[list[ModelRead], datetime], *, from_cache: bool, error: str | None = None
) -> ModelListing:
    models, fetched_at = cached
    return ModelListing(
        models=models,
        fetched_at=fetched_at,
        age_seconds=int(_age(fetched_at)),
        from_cache=from_cache,
        stale=error is not None,
        error=error,
    )


def _overall(
    results: Sequence[tuple[_Subject, CheckResult]],
    keyless: CheckResult | None,
    target: UpstreamTarget,
) -> tuple[str, str]:
    """The provider's status: its only result, `ok` when every key works, `degraded` when
    some do, else the first key's failure."""
    if keyless is not None:
        return keyless.status.value, keyless.message
    if not results:
        return NO_CREDENTIALS, f"this {target.type} provider has no credentials to check"
    if len(results) == 1:
        only = results[0][1]
        return only.status.value, only.message
    working = [s for s, r in results if r.status is CheckStatus.OK]
    failing = [(s, r) for s, r in results if r.status is not CheckStatus.OK]
    if not failing:
        return CheckStatus.OK.value, f"all {len(results)} credentials work"
    first, result = failing[0]
    summary = f"{len(working)} of {len(results)} credentials work; {first.mask}: {result.message}"
    return (DEGRADED if working else result.status.value), summary
