"""Google's Gemini API: `x-goog-api-key` header; models from `GET /v1beta/models`, paged.

Gemini answers a wrong key with 400 `API_KEY_INVALID` (not 401), and an expired one with 400
`API_KEY_EXPIRED`; both are a refused key, not a bad request.
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
    join_url,
    require_base_url,
    required_api_key,
    text_or_none,
    with_headers,
)
from aiport.adapters.errors import CredentialRejected
from aiport.adapters.http import Upstream, UpstreamResponse, error_for_status, scrub

DEFAULT_URL = "https://generativelanguage.googleapis.com"
_KEY_REASONS = frozenset({"API_KEY_INVALID", "API_KEY_EXPIRED"})


def raise_for_google(response: UpstreamResponse, secrets: Sequence[str]) -> None:
    """`{"error": {"code", "message", "status", "details": [{"reason"}]}}` as typed errors."""
    if 200 <= response.status < 300:
        return
    error = response.error_body().get("error")
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


def _next_page(body: dict[str, Any]) -> str | None:
    token = body.get("nextPageToken")
    return token if isinstance(token, str) and token else None


def _model_id(name: str) -> str:
    return name.removeprefix("models/")


class GoogleAdapter(BaseAdapter):
    wire = "google"
    default_url = DEFAULT_URL

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        return with_headers(request, {"x-goog-api-key": required_api_key(target, secret)})

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(require_base_url(target), "/v1beta/models")
        found: list[DiscoveredModel] = []
        pages = self.pages(
            upstream,
            target,
            secret,
            url,
            {"pageSize": "1000"},
            ("pageToken", _next_page),
            raise_for_google,
        )
        async for response, body in pages:
            listed = response.entries(
                body, "models", "name", missing='"models" is not a list', optional=True
            )
            for entry in listed:
                limit = entry.get("inputTokenLimit")
                found.append(
                    DiscoveredModel(
                        id=_model_id(entry["name"]),
                        display_name=text_or_none(entry.get("displayName")),
                        context_window=limit if isinstance(limit, int) and limit > 0 else None,
                        owned_by="google",
                    )
                )
        return found
