"""Anthropic: `x-api-key` and `anthropic-version` headers; models from `GET /v1/models`, paged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from yarl import URL

from aiport.adapters.base import (
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    api_key_of,
    join_url,
    require_base_url,
)
from aiport.adapters.errors import CredentialRejected, UpstreamBadResponse, UpstreamRateLimited
from aiport.adapters.http import Upstream, UpstreamResponse, error_for_status, scrub

DEFAULT_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
MAX_PAGES = 20


def raise_for_anthropic(response: UpstreamResponse, secrets: Sequence[str]) -> None:
    """Anthropic's `{"type": "error", "error": {"type", "message"}}`; 529 means overloaded."""
    if 200 <= response.status < 300:
        return
    detail = ""
    try:
        body = response.json_object()
    except UpstreamBadResponse:
        body = {}
    error = body.get("error")
    if isinstance(error, dict):
        detail = ": ".join(str(error[k]) for k in ("type", "message") if error.get(k))
    if response.status == 529:
        raise UpstreamRateLimited(
            f"{response.host} is overloaded: {scrub(detail, secrets) or '529'}; try again later",
            host=response.host,
            upstream_status=529,
        )
    raise error_for_status(response, detail, secrets)


class AnthropicAdapter:
    wire = "anthropic"
    requires_secret = True

    def default_base_url(self, settings: Mapping[str, Any]) -> str:  # noqa: ARG002
        return DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        key = api_key_of(target, secret)
        if key is None:
            raise CredentialRejected("an anthropic provider needs an API key")
        headers = {**request.headers, "x-api-key": key}
        headers.setdefault("anthropic-version", API_VERSION)
        return UpstreamRequest(request.method, request.url, headers, request.body)

    async def validate(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        return await self.list_models(upstream, target, secret)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        base = URL(join_url(require_base_url(target), "/v1/models"), encoded=True)
        found: list[DiscoveredModel] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            query = {"limit": "1000", **({"after_id": after} if after else {})}
            request = UpstreamRequest("GET", str(base.update_query(query)))
            response = await upstream.send(await self.authorize(upstream, target, secret, request))
            raise_for_anthropic(response, secret.values())
            body = response.json_object()
            data = body.get("data")
            if not isinstance(data, list):
                raise response.unexpected('no "data" list of models')
            for entry in data:
                if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                    raise response.unexpected('a model without a string "id"')
                name = entry.get("display_name")
                found.append(
                    DiscoveredModel(
                        id=entry["id"],
                        display_name=name if isinstance(name, str) else None,
                        owned_by="anthropic",
                    )
                )
            last = body.get("last_id")
            if not body.get("has_more") or not isinstance(last, str):
                break
            after = last
        return found
