"""Where a provider's API lives, per type, from its configured base URL.

Base URLs are taken as people write them: OpenAI-family with `/v1` (as Coder documents),
Anthropic and Gemini with or without their version segment, Ollama with or without `/v1`.
"""

from __future__ import annotations

from urllib.parse import quote

from aiport.gateway.schemas import ProviderEntry


def api_base(provider: ProviderEntry) -> str:
    """The prefix the codecs' paths are appended to."""
    base = provider.base_url
    if provider.type == "ollama":
        return base.removesuffix("/v1") + "/v1"
    if provider.protocol == "anthropic":
        return base.removesuffix("/v1")
    if provider.protocol == "google":
        if base.endswith(("/v1beta", "/v1", "/v1alpha")):
            return base
        return base + "/v1beta"
    return base


def openai_url(provider: ProviderEntry, model: str, operation: str) -> str:
    """`operation` (`/chat/completions`, `/embeddings`) of an OpenAI-wire provider."""
    if provider.type == "azure":
        return f"{provider.base_url}/openai/deployments/{quote(model, safe='')}{operation}"
    return api_base(provider) + operation


def passthrough_url(provider: ProviderEntry, rest: str) -> str | None:
    """The upstream URL of a Coder AI-gateway path (`rest` is what follows the provider name),
    or None when the route is not one the provider's family serves."""
    if provider.type == "copilot":
        allowed = rest in (
            "chat/completions",
            "responses",
            "v1/messages",
            "models",
        ) or rest.startswith(("agents/", "mcp/", ".well-known/", "models/"))
        return f"{provider.base_url}/{rest}" if allowed else None
    if provider.protocol == "openai":
        if not rest.startswith("v1/"):
            return None
        operation = rest[3:]
        head = operation.split("/", 1)[0]
        if head not in (
            "chat",
            "responses",
            "models",
            "conversations",
            "embeddings",
            "completions",
        ):
            return None
        if head == "chat" and operation != "chat/completions":
            return None
        return f"{api_base(provider)}/{operation}"
    if provider.protocol == "anthropic":
        allowed = rest in (
            "v1/messages",
            "v1/messages/count_tokens",
            "v1/models",
        ) or rest.startswith(("v1/models/", "api/event_logging/"))
        return f"{api_base(provider)}/{rest}" if allowed else None
    if provider.protocol == "google":
        return f"{provider.base_url}/{rest}" if rest.startswith(("v1beta/", "v1/")) else None
    return None
