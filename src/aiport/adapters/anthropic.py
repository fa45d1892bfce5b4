"""Anthropic: `x-api-key` and `anthropic-version` headers; models from `GET /v1/models`, paged."""

from __future__ import annotations

from collections.abc import Sequence

from yarl import URL

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
MAX_PAGES = 20


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
        base = URL(join_url(require_base_url(target), "/v1/models"), encoded=True)
        found: list[DiscoveredModel] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            query = {"limit": "1000", **({"after_id": after} if after else {})}
            response = await self.fetch(upstream, target, secret, str(base.update_query(query)))
            raise_for_anthropic(response, secret.values())
            body = response.json_object()
            for entry in response.entries(body, "data", "id", missing='no "data" list of models'):
                found.append(
                    DiscoveredModel(
                        id=entry["id"],
                        display_name=text_or_none(entry.get("display_name")),
                        owned_by="anthropic",
                    )
                )
            last = body.get("last_id")
            if not body.get("has_more") or not isinstance(last, str):
                break
            after = last
        return found
