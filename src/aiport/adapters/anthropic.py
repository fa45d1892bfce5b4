"""Anthropic: `x-api-key` and `anthropic-version` headers; models from `GET /v1/models`, paged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiport.adapters.base import (
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    join_url,
    require_base_url,
    required_api_key,
    text_or_none,
    with_headers,
)
from aiport.adapters.errors import UpstreamRateLimited
from aiport.adapters.http import Upstream, UpstreamResponse, error_for_status, scrub

DEFAULT_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


def raise_for_anthropic(response: UpstreamResponse, secrets: Sequence[str]) -> None:
    """Anthropic's `{"type": "error", "error": {"type", "message"}}`; 529 means overloaded."""
    if 200 <= response.status < 300:
        return
    detail = ""
    error = response.error_body().get("error")
    if isinstance(error, dict):
        detail = ": ".join(str(error[k]) for k in ("type", "message") if error.get(k))
    if response.status == 529:
        raise UpstreamRateLimited(
            f"{response.host} is overloaded: {scrub(detail, secrets) or '529'}; try again later",
            host=response.host,
            upstream_status=529,
        )
    raise error_for_status(response, detail, secrets)


def _next_page(body: dict[str, Any]) -> str | None:
    last = body.get("last_id")
    return last if body.get("has_more") and isinstance(last, str) else None


class AnthropicAdapter(BaseAdapter):
    wire = "anthropic"
    default_url = DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        version = {"anthropic-version": request.headers.get("anthropic-version", API_VERSION)}
        return with_headers(request, {"x-api-key": required_api_key(target, secret), **version})

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(require_base_url(target), "/v1/models")
        found: list[DiscoveredModel] = []
        pages = self.pages(
            upstream,
            target,
            secret,
            url,
            {"limit": "1000"},
            ("after_id", _next_page),
            raise_for_anthropic,
        )
        async for response, body in pages:
            for entry in response.entries(body, "data", "id", missing='no "data" list of models'):
                found.append(
                    DiscoveredModel(
                        id=entry["id"],
                        display_name=text_or_none(entry.get("display_name")),
                        owned_by="anthropic",
                    )
                )
        return found
