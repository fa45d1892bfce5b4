"""Trying models against their providers: Xagent's `test-connection` (an unsaved configuration)
and `test` (saved models), through the adapters.

A chat model is tried with one tiny chat call and an embedding model with one embedding, as
Xagent does; other categories (and provider types whose chat URL is not the plain one) are
tried by listing the provider's models and looking for the model's name.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from aiport.adapters import (
    ApiKey,
    MalformedSecret,
    NoSecret,
    ProviderError,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    UpstreamTimeout,
    secret_from,
)
from aiport.adapters.anthropic import raise_for_anthropic
from aiport.adapters.google import raise_for_google
from aiport.adapters.http import raise_for_status, scrub
from aiport.db.session import unit_of_work
from aiport.db.types import utcnow
from aiport.models import catalog
from aiport.models.repository import ModelRepository
from aiport.models.schemas import CallTarget, ConnectionTest, ModelTestResult, storable
from aiport.models.service.targets import CallingService, target_for
from aiport.vault import fingerprint
from aiport.workspaces.access import WorkspaceAccess

MAX_TOKENS = 16
CONCURRENCY = 8
# Types whose chat endpoint is `{base_url}/chat/completions`.
OPENAI_CHAT_TYPES = frozenset(
    {"openai", "openai-compat", "openrouter", "mistral", "vercel", "copilot"}
)
# OpenAI reasoning models refuse `max_tokens` and `temperature`.
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


class ProbeFailed(Exception):
    """The provider answered, but not with what the model's test needs."""


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


def _json(body: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    return {"Content-Type": "application/json"}, orjson.dumps(body)


def chat_request(
    provider_type: str, base_url: str, model_name: str, temperature: float | None
) -> UpstreamRequest | None:
    base = base_url.rstrip("/")
    messages = [{"role": "user", "content": "Hello"}]
    if provider_type in OPENAI_CHAT_TYPES:
        body: dict[str, Any] = {"model": model_name, "messages": messages}
        if model_name.startswith(REASONING_PREFIXES):
            body["max_completion_tokens"] = MAX_TOKENS
        else:
            body["max_tokens"] = MAX_TOKENS
            if temperature is not None:
                body["temperature"] = temperature
        return UpstreamRequest("POST", f"{base}/chat/completions", *_json(body))
    if provider_type == "anthropic":
        body = {"model": model_name, "max_tokens": MAX_TOKENS, "messages": messages}
        return UpstreamRequest("POST", f"{base}/v1/messages", *_json(body))
    if provider_type == "google":
        body = {
            "contents": [{"role": "user", "parts": [{"text": "Hello"}]}],
            "generationConfig": {"maxOutputTokens": MAX_TOKENS},
        }
        name = model_name.removeprefix("models/")
        return UpstreamRequest("POST", f"{base}/v1beta/models/{name}:generateContent", *_json(body))
    return None


def embedding_request(
    provider_type: str, base_url: str, model_name: str, dimension: int | None
) -> UpstreamRequest | None:
    base = base_url.rstrip("/")
    if provider_type in OPENAI_CHAT_TYPES:
        body: dict[str, Any] = {"model": model_name, "input": "hello"}
        if dimension is not None:
            body["dimensions"] = dimension
        return UpstreamRequest("POST", f"{base}/embeddings", *_json(body))
    if provider_type == "google":
        name = model_name.removeprefix("models/")
        body = {"content": {"parts": [{"text": "hello"}]}}
        return UpstreamRequest("POST", f"{base}/v1beta/models/{name}:embedContent", *_json(body))
    if provider_type == "anthropic":
        raise ProbeFailed("this provider offers no embedding models")
    return None


def _result(target: CallTarget, outcome: Outcome | None) -> ModelTestResult:
    if outcome is None:
        return ModelTestResult(
            target.model_id,
            "failed",
            message="Failed to create LLM instance",
            error="Unsupported model type",
        )
    return ModelTestResult(
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


class ModelTestService(CallingService):
    """Calls go through the process's one HTTP session, each bounded by the check timeout; the
    database is used only in short units of work around them (`db.session.unit_of_work`)."""

    async def test_connection(self, config: ConnectionTest) -> ModelTestResult:
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
            model_name=config.model_name,
            category=config.category,
            model_provider=catalog.normalize_provider(config.model_provider),
            temperature=config.temperature,
            dimension=config.dimension,
        )
        if outcome.passed:
            message = "Connection successful"
        else:
            message = "Connection timed out" if outcome.timed_out else "Connection failed"
        return ModelTestResult(
            model_id=config.model_name,
            status="passed" if outcome.passed else "failed",
            response_time=outcome.elapsed,
            message=message,
            error=outcome.error,
        )

    async def test_saved(
        self, access: WorkspaceAccess, model_ids: Sequence[str] | None
    ) -> list[ModelTestResult]:
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
            model_name=target.model_name,
            category=target.category,
            model_provider="",
            temperature=temperature,
            dimension=None,
        )

    def _default_url(self, provider_type: str) -> str:
        return self.adapters.get(provider_type).default_base_url({})

    async def _try(
        self,
        target: UpstreamTarget,
        secret: Secret,
        *,
        model_name: str,
        category: str,
        model_provider: str,
        temperature: float | None,
        dimension: int | None,
    ) -> Outcome:
        secrets = secret.values()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                await self._probe(
                    target, secret, model_name, category, model_provider, temperature, dimension
                )
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
        except (ProbeFailed, ValueError, aiohttp.ClientError) as error:
            return Outcome(
                False,
                round(time.perf_counter() - started, 3),
                error=redact(scrub(str(error) or type(error).__name__, secrets), secrets),
                check_status="bad_response",
            )
        return Outcome(True, round(time.perf_counter() - started, 3))

    async def _probe(
        self,
        target: UpstreamTarget,
        secret: Secret,
        model_name: str,
        category: str,
        model_provider: str,
        temperature: float | None,
        dimension: int | None,
    ) -> None:
        if not target.base_url.startswith(("http://", "https://")):
            raise ProbeFailed("a base URL starting with http:// or https:// is needed")
        adapter = self.adapters.get(target.type)
        request = None
        if category == "llm":
            request = chat_request(target.type, target.base_url, model_name, temperature)
        elif category == "embedding":
            request = embedding_request(target.type, target.base_url, model_name, dimension)
        elif category == "speech" and model_provider and model_provider != "xinference":
            raise ProbeFailed("speech models can be tested only with the xinference provider")
        if request is None:
            listed = await adapter.list_models(self.upstream, target, secret)
            names = {m.id for m in listed} | {m.id.removeprefix("models/") for m in listed}
            if model_name not in names:
                raise ProbeFailed(f"the provider does not list the model '{model_name}'")
            return
        response = await self.upstream.send(
            await adapter.authorize(self.upstream, target, secret, request)
        )
        if target.type == "anthropic":
            raise_for_anthropic(response, secret.values())
        elif target.type == "google":
            raise_for_google(response, secret.values())
        else:
            raise_for_status(response, secret.values())
        response.json_object()
