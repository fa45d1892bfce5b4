"""One fake upstream per provider type, with a key it accepts and one it refuses.

`start_fake(type)` is what per-type tests iterate over; the fake for each type speaks exactly
that type's protocol at a base URL shaped like the real one (`/v1`, `/api/v1`, …).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson

from aiport.adapters import ApiKey, AwsKeys, Secret, UpstreamTarget
from tests.fakes.anthropic import ANTHROPIC_MODELS, FakeAnthropic
from tests.fakes.azure import AZURE_DEPLOYMENTS, FakeAzure
from tests.fakes.bedrock import BEDROCK_MODELS, FakeBedrock
from tests.fakes.copilot import COPILOT_MODELS, FakeCopilot
from tests.fakes.google import GEMINI_MODELS, FakeGemini
from tests.fakes.ollama import OLLAMA_TAGS, FakeOllama
from tests.fakes.openai import OPENAI_MODELS, FakeOpenAI
from tests.fakes.server import FakeServer

OPENROUTER_MODELS: list[dict[str, Any]] = [
    {"id": "openai/gpt-4o", "name": "OpenAI: GPT-4o", "context_length": 128000},
    {
        "id": "anthropic/claude-3.5-sonnet",
        "name": "Anthropic: Claude 3.5 Sonnet",
        "context_length": 200000,
    },
]
MISTRAL_MODELS: list[dict[str, Any]] = [
    {
        "id": "mistral-large-latest",
        "object": "model",
        "owned_by": "mistralai",
        "name": "mistral-large-2411",
        "max_context_length": 131072,
    },
    {
        "id": "codestral-latest",
        "object": "model",
        "owned_by": "mistralai",
        "max_context_length": 256000,
    },
]
VERCEL_MODELS: list[dict[str, Any]] = [
    {
        "id": "openai/gpt-4o",
        "object": "model",
        "owned_by": "openai",
        "name": "GPT-4o",
        "context_window": 128000,
    },
    {
        "id": "xai/grok-3",
        "object": "model",
        "owned_by": "xai",
        "name": "Grok 3",
        "context_window": 131072,
    },
]


@dataclass
class FakeProvider:
    """A running fake for one provider type, and what a provider row pointing at it holds."""

    type: str
    server: FakeServer
    target: UpstreamTarget
    good: Secret
    bad: Secret
    # How the secrets are stored in `credentials` (kind and plaintext).
    kind: str
    good_plaintext: str
    bad_plaintext: str
    model_ids: list[str] = field(default_factory=list)


def _key(label: str) -> str:
    return f"sk-{label}-{uuid.uuid4().hex}"


def _api_key_provider(
    provider_type: str,
    server: FakeServer,
    base_url: str,
    good: str,
    bad: str,
    model_ids: list[str],
    settings: dict[str, Any] | None = None,
) -> FakeProvider:
    return FakeProvider(
        type=provider_type,
        server=server,
        target=UpstreamTarget(provider_type, base_url, settings or {}),
        good=ApiKey(good),
        bad=ApiKey(bad),
        kind="api_key",
        good_plaintext=good,
        bad_plaintext=bad,
        model_ids=model_ids,
    )


@asynccontextmanager
async def start_fake(provider_type: str) -> AsyncIterator[FakeProvider]:
    """The fake upstream of `provider_type`, running until the block ends."""
    good, bad = _key("good"), _key("bad")
    if provider_type in ("openai", "mistral", "openai-compat", "openrouter", "vercel"):
        models = {
            "openai": OPENAI_MODELS,
            "openai-compat": OPENAI_MODELS,
            "mistral": MISTRAL_MODELS,
            "openrouter": OPENROUTER_MODELS,
            "vercel": VERCEL_MODELS,
        }[provider_type]
        prefix = "/api/v1" if provider_type == "openrouter" else "/v1"
        openai = FakeOpenAI(
            keys={good},
            models=models,
            prefix=prefix,
            public_models=provider_type in ("openrouter", "vercel"),
        )
        async with openai:
            yield _api_key_provider(
                provider_type, openai, openai.base_url, good, bad, [m["id"] for m in models]
            )
    elif provider_type == "ollama":
        async with FakeOllama(keys={good}) as ollama:
            yield _api_key_provider(
                "ollama", ollama, ollama.url, good, bad, [t["name"] for t in OLLAMA_TAGS]
            )
    elif provider_type == "azure":
        async with FakeAzure(keys={good}) as azure:
            yield _api_key_provider(
                "azure",
                azure,
                azure.base_url,
                good,
                bad,
                [d["id"] for d in AZURE_DEPLOYMENTS],
                {"api_version": "2024-10-21"},
            )
    elif provider_type == "anthropic":
        async with FakeAnthropic(keys={good}, page_size=2) as anthropic:
            yield _api_key_provider(
                "anthropic",
                anthropic,
                anthropic.base_url,
                good,
                bad,
                [m["id"] for m in ANTHROPIC_MODELS],
            )
    elif provider_type == "google":
        async with FakeGemini(keys={good}, page_size=2) as gemini:
            yield _api_key_provider(
                "google",
                gemini,
                gemini.base_url,
                good,
                bad,
                [m["name"].removeprefix("models/") for m in GEMINI_MODELS],
            )
    elif provider_type == "copilot":
        async with FakeCopilot(github_tokens={good}) as copilot:
            yield _api_key_provider(
                "copilot",
                copilot,
                copilot.base_url,
                good,
                bad,
                [m["id"] for m in COPILOT_MODELS],
                {"token_url": copilot.token_url},
            )
    elif provider_type == "bedrock":
        access_key = "AKIA" + uuid.uuid4().hex[:16].upper()
        secret_key = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        wrong_secret = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        async with FakeBedrock(access_key=access_key, secret_key=secret_key) as bedrock:
            good_pair = {"access_key": access_key, "access_key_secret": secret_key}
            bad_pair = {"access_key": access_key, "access_key_secret": wrong_secret}
            yield FakeProvider(
                type="bedrock",
                server=bedrock,
                target=UpstreamTarget("bedrock", bedrock.base_url, {"region": "us-east-1"}),
                good=AwsKeys(access_key, secret_key),
                bad=AwsKeys(access_key, wrong_secret),
                kind="aws",
                good_plaintext=orjson.dumps(good_pair).decode(),
                bad_plaintext=orjson.dumps(bad_pair).decode(),
                model_ids=[m["modelId"] for m in BEDROCK_MODELS],
            )
    else:
        raise ValueError(f"no fake for provider type {provider_type!r}")
