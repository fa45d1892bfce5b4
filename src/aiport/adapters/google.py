"""Google's Gemini API: `x-goog-api-key` header; models from `GET /v1beta/models`, paged.

Gemini answers a wrong key with 400 `API_KEY_INVALID` (not 401), and an expired one with 400
`API_KEY_EXPIRED`; both are a refused key, not a bad request.
"""

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
from aiport.adapters.errors import CredentialRejected, UpstreamBadResponse
from aiport.adapters.http import Upstream, UpstreamResponse, error_for_status, scrub

DEFAULT_URL = "https://generativelanguage.googleapis.com"
MAX_PAGES = 20
_KEY_REASONS = frozenset({"API_KEY_INVALID", "API_KEY_EXPIRED"})


def raise_for_google(response: UpstreamResponse, secrets: Sequence[str]) -> None:
    """`{"error": {"code", "message", "status", "details": [{"reason"}]}}` as typed errors."""
    if 200 <= response.status < 300:
        return
    try:
        error = response.json_object().get("error")
    except UpstreamBadResponse:
        error = None
    reasons: set[str] = set()
    detail = ""
    if isinstance(error, dict):
        for item in error.get("details") or []:
            if isinstance(item, dict) and isinstance(item.get("reason"), str):
                reasons.add(item["reason"])
        status = error.get("status") if isinstance(error.get("status"), str) else ""
        message = error.get("message") if isinstance(error.get("message"), str) else ""
        detail = ": ".join(p for p in (next(iter(sorted(reasons)), status), message) if p)
    if reasons & _KEY_REASONS:
        raise CredentialRejected(
            f"the key was refused by {response.host}: {scrub(f'{response.status} {detail}', secrets)}",
            host=response.host,
            upstream_status=response.status,
        )
    raise error_for_status(response, detail, secrets)


def _model_id(name: str) -> str:
    return name.removeprefix("models/")


class GoogleAdapter:
    wire = "google"
    requires_secret = True

    def default_base_url(self, settings: Mapping[str, Any]) -> str:  # noqa: ARG002
        return DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        key = api_key_of(target, secret)
        if key is None:
            raise CredentialRejected("a google provider needs an API key")
        return UpstreamRequest(
            request.method, request.url, {**request.headers, "x-goog-api-key": key}, request.body
        )

    async def validate(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        return await self.list_models(upstream, target, secret)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        base = URL(join_url(require_base_url(target), "/v1beta/models"), encoded=True)
        found: list[DiscoveredModel] = []
        page_token: str | None = None
        for _ in range(MAX_PAGES):
            query = {"pageSize": "1000", **({"pageToken": page_token} if page_token else {})}
            request = UpstreamRequest("GET", str(base.update_query(query)))
            response = await upstream.send(await self.authorize(upstream, target, secret, request))
            raise_for_google(response, secret.values())
            body = response.json_object()
            models = body.get("models", [])
            if not isinstance(models, list):
                raise response.unexpected('"models" is not a list')
            for entry in models:
                if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                    raise response.unexpected('a model without a string "name"')
                name = entry.get("displayName")
                limit = entry.get("inputTokenLimit")
                found.append(
                    DiscoveredModel(
                        id=_model_id(entry["name"]),
                        display_name=name if isinstance(name, str) else None,
                        context_window=limit if isinstance(limit, int) and limit > 0 else None,
                        owned_by="google",
                    )
                )
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                break
            page_token = token
        return found
