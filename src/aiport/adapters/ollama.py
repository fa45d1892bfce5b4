"""Ollama: usually no key (a Bearer one when it sits behind a proxy); models from `/api/tags`.

Chat goes through Ollama's OpenAI-compatible `/v1`, so the gateway treats it as OpenAI wire with
`openai_base_url()`; the native API lives at the server root.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiport.adapters.base import (
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    api_key_of,
    join_url,
    require_base_url,
    text_or_none,
    with_headers,
)
from aiport.adapters.http import Upstream, raise_for_status

DEFAULT_URL = "http://127.0.0.1:11434"


def server_root(base_url: str) -> str:
    """The server root, whether the provider was configured with or without `/v1`."""
    root = base_url.rstrip("/")
    return root.removesuffix("/v1")


def openai_base_url(target: UpstreamTarget) -> str:
    """Where Ollama's OpenAI-compatible API is, for chat and embeddings."""
    return server_root(require_base_url(target)) + "/v1"


class OllamaAdapter(BaseAdapter):
    wire = "openai"
    requires_secret = False
    default_url = DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        key = api_key_of(target, secret)
        if key is None:
            return request
        return with_headers(request, {"Authorization": f"Bearer {key}"})

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(server_root(require_base_url(target)), "/api/tags")
        response = await self.fetch(upstream, target, secret, url)
        raise_for_status(response, secret.values())
        body = response.json_object()
        found = []
        for entry in response.entries(body, "models", "name", missing='no "models" list'):
            details = entry.get("details")
            family = details.get("family") if isinstance(details, dict) else None
            found.append(DiscoveredModel(id=entry["name"], owned_by=text_or_none(family)))
        return found
