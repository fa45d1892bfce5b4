"""Ollama: usually no key (a Bearer one when it sits behind a proxy); models from `/api/tags`.

Chat goes through Ollama's OpenAI-compatible `/v1`, so the gateway treats it as OpenAI wire with
`openai_base_url()`; the native API lives at the server root.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiport.adapters.base import (
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    api_key_of,
    join_url,
    require_base_url,
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


class OllamaAdapter:
    wire = "openai"
    requires_secret = False

    def default_base_url(self, settings: Mapping[str, Any]) -> str:  # noqa: ARG002
        return DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        key = api_key_of(target, secret)
        if key is None:
            return request
        return UpstreamRequest(
            request.method,
            request.url,
            {**request.headers, "Authorization": f"Bearer {key}"},
            request.body,
        )

    async def validate(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        return await self.list_models(upstream, target, secret)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(server_root(require_base_url(target)), "/api/tags")
        request = await self.authorize(upstream, target, secret, UpstreamRequest("GET", url))
        response = await upstream.send(request)
        raise_for_status(response, secret.values())
        models = response.json_object().get("models")
        if not isinstance(models, list):
            raise response.unexpected('no "models" list')
        found = []
        for entry in models:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise response.unexpected('a model without a string "name"')
            details = entry.get("details")
            family = details.get("family") if isinstance(details, dict) else None
            found.append(
                DiscoveredModel(
                    id=entry["name"], owned_by=family if isinstance(family, str) else None
                )
            )
        return found
