"""Trying models against their providers: Xagent's `test-connection` (an unsaved configuration)
and `test` (saved models). The vendor requests that try a model are the adapters'
(`adapters.check_model`); here are the deadline, the redaction and the recorded outcome.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

from aiport.adapters import (
    ApiKey,
    MalformedSecret,
    ModelCheck,
    ModelCheckFailed,
    NoSecret,
    ProviderError,
    Secret,
    UpstreamTarget,
    UpstreamTimeout,
    check_model,
    secret_from,
)
from aiport.adapters.http import scrub
from aiport.db.session import unit_of_work
from aiport.db.types import utcnow
from aiport.models import catalog
from aiport.models.repository import ModelRepository
from aiport.models.schemas import CallTarget, ConnectionCheck, ModelCheckResult, storable
from aiport.models.service.targets import CallingService, target_for
from aiport.vault import fingerprint
from aiport.workspaces.access import WorkspaceAccess

CONCURRENCY = 8


@dataclass(frozen=True)
class Outcome:
    passed: bool
    elapsed: float
    timed_out: bool = False
    error: str | None = None
    check_status: str = "ok"


def redact(text: str, secrets: Sequence[str]) -> str:
    """Xagent's redaction: a key in provider text becomes `***` and its last characters."""
    for secret in secrets:
        if len(secret) >= 4:
            tail = secret[-4:] if len(secret) >= 20 else secret[-2:] if len(secret) >= 10 else ""
            text = text.replace(secret, f"***{tail}")
    return text


def _result(target: CallTarget, outcome: Outcome | None) -> ModelCheckResult:
    if outcome is None:
        return ModelCheckResult(
            target.model_id,
            "failed",
            message="Failed to create LLM instance",
            error="Unsupported model type",
        )
    return ModelCheckResult(
        target.model_id,
        "passed" if outcome.passed else "failed",
        response_time=outcome.elapsed,
        message="Model test successful" if outcome.passed else "Model test failed",
        error=outcome.error,
    )


async def _record_status(models: ModelRepository, target: CallTarget, outcome: Outcome) -> None:
    """A saved model's own key remembers how its last test went; provider keys are the
    providers domain's to mark. A key replaced while the test ran keeps its own status."""
    if target.provider_id is not None or not target.keys:
        return
    credential = await models.credential_of(target.model_pk)
    if credential is None or credential.fingerprint != fingerprint(target.keys[0].plaintext):
        return
    credential.status = outcome.check_status
    credential.status_message = outcome.error or ""
    credential.checked_at = utcnow()
    await models.flush()


class ModelCheckService(CallingService):
    """Calls go through the process's one HTTP session, each bounded by the check timeout; the
    database is used only in short units of work around them (`db.session.unit_of_work`)."""

    async def check_connection(self, config: ConnectionCheck) -> ModelCheckResult:
        """Try an unsaved configuration; a failure is a result, never an error."""
        provider_type = catalog.adapter_type(config.model_provider)
        key = config.api_key.get_secret_value().strip() if config.api_key else ""
        base_url = (config.base_url or "").strip() or catalog.default_base_url(
            config.model_provider
        )
        if not base_url:
            base_url = self._default_url(provider_type)
        base_url = catalog.call_base_url(config.model_provider, base_url)
        outcome = await self._try(
            UpstreamTarget(provider_type, base_url),
            ApiKey(key) if key else NoSecret(),
            ModelCheck(config.model_name, config.category, config.temperature, config.dimension),
            model_provider=catalog.normalize_provider(config.model_provider),
        )
        if outcome.passed:
            message = "Connection successful"
        else:
            message = "Connection timed out" if outcome.timed_out else "Connection failed"
        return ModelCheckResult(
            model_id=config.model_name,
            status="passed" if outcome.passed else "failed",
            response_time=outcome.elapsed,
            message=message,
            error=outcome.error,
        )

    async def check_saved(
        self, access: WorkspaceAccess, model_ids: Sequence[str] | None
    ) -> list[ModelCheckResult]:
        """Test the caller's active models (or those named); Xagent tests chat models only.

        The models are read (keys decrypted) in one short unit of work and the outcomes recorded
        in another: no transaction is held while the providers answer."""
        if model_ids is not None:
            model_ids = [m for m in model_ids if storable(m)]
        async with unit_of_work(self.sessionmaker) as session:
            models = ModelRepository(session)
            rows = await models.list_active_visible(
                access.workspace_id, access.principal.user_id, model_ids
            )
            targets = [await target_for(models, self.keyring, row) for row in rows]
            temperatures = {row.id: row.temperature for row in rows}
        limit = asyncio.Semaphore(CONCURRENCY)

        async def run(target: CallTarget) -> Outcome | None:
            if target.category != "llm":
                return None
            async with limit:
                return await self._try_target(target, temperatures.get(target.model_pk))

        outcomes = await asyncio.gather(*(run(t) for t in targets))
        async with unit_of_work(self.sessionmaker) as session:
            models = ModelRepository(session)
            for target, outcome in zip(targets, outcomes, strict=True):
                if outcome is not None:
                    await _record_status(models, target, outcome)
        return [_result(target, outcome) for target, outcome in zip(targets, outcomes, strict=True)]

    async def _try_target(self, target: CallTarget, temperature: float | None) -> Outcome:
        if target.problem:
            return Outcome(False, 0.0, error=target.problem, check_status="bad_response")
        key = target.keys[0] if target.keys else None
        try:
            secret: Secret = secret_from(key.kind, key.plaintext) if key else NoSecret()
        except MalformedSecret as error:
            return Outcome(False, 0.0, error=str(error), check_status="bad_response")
        return await self._try(
            UpstreamTarget(target.provider_type, target.base_url, target.settings),
            secret,
            ModelCheck(target.model_name, target.category, temperature),
            model_provider="",
        )

    def _default_url(self, provider_type: str) -> str:
        return self.adapters.get(provider_type).default_base_url({})

    async def _try(
        self,
        target: UpstreamTarget,
        secret: Secret,
        check: ModelCheck,
        *,
        model_provider: str,
    ) -> Outcome:
        secrets = secret.values()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                await self._check_model(target, secret, check, model_provider)
        except (TimeoutError, UpstreamTimeout):
            return Outcome(
                False,
                round(time.perf_counter() - started, 3),
                timed_out=True,
                error=f"The connection timed out after {self.timeout:g} seconds",
                check_status="timeout",
            )
        except ProviderError as error:
            return Outcome(
                False,
                round(time.perf_counter() - started, 3),
                error=redact(scrub(error.message, secrets), secrets),
                check_status=str(error.check_status),
            )
        except (ModelCheckFailed, ValueError, aiohttp.ClientError) as error:
            return Outcome(
                False,
                round(time.perf_counter() - started, 3),
                error=redact(scrub(str(error) or type(error).__name__, secrets), secrets),
                check_status="bad_response",
            )
        return Outcome(True, round(time.perf_counter() - started, 3))

    async def _check_model(
        self, target: UpstreamTarget, secret: Secret, check: ModelCheck, model_provider: str
    ) -> None:
        if not target.base_url.startswith(("http://", "https://")):
            raise ModelCheckFailed("a base URL starting with http:// or https:// is needed")
        if check.category == "speech" and model_provider and model_provider != "xinference":
            raise ModelCheckFailed("speech models can be tested only with the xinference provider")
        await check_model(self.adapters, self.upstream, target, secret, check)
