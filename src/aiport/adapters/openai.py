"""The OpenAI wire protocol: OpenAI, OpenRouter, Mistral, Vercel AI Gateway, any compatible server.

Bearer key, `GET {base}/models`. OpenRouter and Vercel list models without looking at the key,
so a key is proven there on an endpoint that does need it (`/key`, `/credits`): otherwise a
wrong key would pass the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiport.adapters.base import (
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    api_key_of,
    join_url,
    require_base_url,
)
from aiport.adapters.http import Upstream, UpstreamResponse, raise_for_status

_CONTEXT_FIELDS = ("context_window", "context_length", "max_context_length", "max_model_len")


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def parse_model_list(response: UpstreamResponse) -> list[DiscoveredModel]:
    """`{"data": [{"id", "owned_by", "name"?, <context field>?}]}` as neutral models."""
    body = response.json_object()
    models = []
    for entry in response.entries(body, "data", "id", missing='no "data" list of models'):
        name = entry.get("name")
        owner = entry.get("owned_by")
        context = next(
            (c for f in _CONTEXT_FIELDS if (c := _int_or_none(entry.get(f))) is not None), None
        )
        models.append(
            DiscoveredModel(
                id=entry["id"],
                display_name=name if isinstance(name, str) and name else None,
                context_window=context,
                owned_by=owner if isinstance(owner, str) and owner else None,
            )
        )
    return models


class OpenAIAdapter(BaseAdapter):
    """One OpenAI-compatible provider type."""

    wire = "openai"

    def __init__(
        self,
        *,
        default_url: str,
        key_check_path: str | None = None,
        requires_secret: bool = True,
    ):
        self.default_url = default_url
        self._key_check_path = key_check_path
        self.requires_secret = requires_secret

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        headers = dict(request.headers)
        key = api_key_of(target, secret)
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        # Baserow's `organization` (OpenAI's own header; other services ignore it).
        organization = target.setting("organization")
        if organization and target.type == "openai":
            headers["OpenAI-Organization"] = organization
        return UpstreamRequest(request.method, request.url, headers, request.body)

    async def check(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        if self._key_check_path is not None:
            url = join_url(require_base_url(target), self._key_check_path)
            response = await self.fetch(upstream, target, secret, url)
            raise_for_status(response, secret.values())
            response.json_object()
        return await self.list_models(upstream, target, secret)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(require_base_url(target), "/models")
        response = await self.fetch(upstream, target, secret, url)
        raise_for_status(response, secret.values())
        return parse_model_list(response)
