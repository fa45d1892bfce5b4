"""The eleven provider types, each mapped to its adapter; one registry per process."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from aiport.adapters.anthropic import AnthropicAdapter
from aiport.adapters.azure import AzureAdapter
from aiport.adapters.base import Adapter, AwsKeys, Secret
from aiport.adapters.bedrock import BedrockAdapter
from aiport.adapters.copilot import CopilotAdapter
from aiport.adapters.errors import UnknownProviderType
from aiport.adapters.google import GoogleAdapter
from aiport.adapters.ollama import OllamaAdapter
from aiport.adapters.openai import OpenAIAdapter

PROVIDER_TYPES: tuple[str, ...] = (
    "openai",
    "anthropic",
    "google",
    "azure",
    "bedrock",
    "mistral",
    "ollama",
    "openrouter",
    "openai-compat",
    "vercel",
    "copilot",
)


def build_adapters(clock: Callable[[], float] = time.time) -> dict[str, Adapter]:
    return {
        "openai": OpenAIAdapter(default_url="https://api.openai.com/v1"),
        "openrouter": OpenAIAdapter(
            default_url="https://openrouter.ai/api/v1", key_check_path="/key"
        ),
        "mistral": OpenAIAdapter(default_url="https://api.mistral.ai/v1"),
        "vercel": OpenAIAdapter(
            default_url="https://ai-gateway.vercel.sh/v1", key_check_path="/credits"
        ),
        # A self-hosted server (vLLM, LM Studio, LiteLLM…) may well take no key.
        "openai-compat": OpenAIAdapter(default_url="", requires_secret=False),
        "ollama": OllamaAdapter(),
        "azure": AzureAdapter(),
        "anthropic": AnthropicAdapter(),
        "google": GoogleAdapter(),
        "bedrock": BedrockAdapter(clock),
        "copilot": CopilotAdapter(clock),
    }


class AdapterRegistry:
    """The adapters of one process. Made in the lifespan: Copilot and Bedrock keep caches of
    short-lived upstream tokens that every request of the process shares."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._adapters = build_adapters(clock)

    def get(self, provider_type: str) -> Adapter:
        try:
            return self._adapters[provider_type]
        except KeyError:
            raise UnknownProviderType(f"no adapter for provider type {provider_type!r}") from None

    def for_secret(self, provider_type: str, secret: Secret) -> Adapter:
        """The adapter that calls with this secret: an `anthropic` provider holding an AWS key
        pair is Claude on Bedrock (Coder's Bedrock settings), so Bedrock's adapter signs it."""
        if provider_type == "anthropic" and isinstance(secret, AwsKeys):
            return self._adapters["bedrock"]
        return self.get(provider_type)


def default_base_url(provider_type: str, settings: Mapping[str, Any] | None = None) -> str:
    """The base URL a new provider of `provider_type` gets when none is given ("" if it must be
    given, as for `azure` and `openai-compat`)."""
    adapter = build_adapters().get(provider_type)
    if adapter is None:
        raise UnknownProviderType(f"no adapter for provider type {provider_type!r}")
    return adapter.default_base_url(settings or {})
