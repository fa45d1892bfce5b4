"""Trying one model of a provider with the smallest call its vendor's API offers.

A chat model is tried with one tiny chat call and an embedding model with one embedding (as
Xagent's connection tests do); any other category, and any type whose chat URL is not the plain
one, is tried by listing the provider's models and looking for the model's name. Each request is
built in the vendor's own wire format, so it lives here, behind the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from aiport.adapters.anthropic import raise_for_anthropic
from aiport.adapters.base import Secret, UpstreamRequest, UpstreamTarget
from aiport.adapters.google import raise_for_google
from aiport.adapters.http import Upstream, raise_for_status
from aiport.adapters.registry import AdapterRegistry

MAX_TOKENS = 16
# Types whose chat endpoint is `{base_url}/chat/completions`.
OPENAI_CHAT_TYPES = frozenset(
    {"openai", "openai-compat", "openrouter", "mistral", "vercel", "copilot"}
)
# OpenAI reasoning models refuse `max_tokens` and `temperature`.
REASONING_PREFIXES = ("o1", "o3", "o4", "gpt-5")


class ModelCheckFailed(Exception):
    """The provider answered, but not with what the model's check needs."""


@dataclass(frozen=True)
class ModelCheck:
    """What to try: a model of a category (`llm`, `embedding`, …) and the parameters its call
    carries (`temperature` for a chat call, `dimension` for an embedding)."""

    model_name: str
    category: str
    temperature: float | None = None
    dimension: int | None = None


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
        raise ModelCheckFailed("this provider offers no embedding models")
    return None


def model_check_request(target: UpstreamTarget, check: ModelCheck) -> UpstreamRequest | None:
    """The vendor's request that tries `check`, or None where listing the models must do."""
    if check.category == "llm":
        return chat_request(target.type, target.base_url, check.model_name, check.temperature)
    if check.category == "embedding":
        return embedding_request(target.type, target.base_url, check.model_name, check.dimension)
    return None


async def check_model(
    adapters: AdapterRegistry,
    upstream: Upstream,
    target: UpstreamTarget,
    secret: Secret,
    check: ModelCheck,
) -> None:
    """Return when the provider serves the model; raise `ProviderError` (the upstream refused or
    failed) or `ModelCheckFailed` (it answered, but not as the check needs). Not bounded in time:
    the caller sets the deadline."""
    adapter = adapters.get(target.type)
    request = model_check_request(target, check)
    if request is None:
        listed = await adapter.list_models(upstream, target, secret)
        names = {m.id for m in listed} | {m.id.removeprefix("models/") for m in listed}
        if check.model_name not in names:
            raise ModelCheckFailed(f"the provider does not list the model '{check.model_name}'")
        return
    response = await upstream.send(await adapter.authorize(upstream, target, secret, request))
    if target.type == "anthropic":
        raise_for_anthropic(response, secret.values())
    elif target.type == "google":
        raise_for_google(response, secret.values())
    else:
        raise_for_status(response, secret.values())
    response.json_object()
