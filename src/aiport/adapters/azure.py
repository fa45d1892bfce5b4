"""Azure OpenAI: `api-key` header, an `api-version` on every call, and deployments as models.

A call names a deployment (`/openai/deployments/{name}/…`), not a model, so the models a
provider offers are its deployments: the ones listed in `settings.deployments` when given,
else the ones the resource lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from yarl import URL

from aiport.adapters.base import (
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    discovered,
    join_url,
    require_base_url,
    required_api_key,
    text_or_none,
)
from aiport.adapters.http import Upstream, raise_for_status

DEFAULT_API_VERSION = "2024-10-21"


def api_version(target: UpstreamTarget) -> str:
    return target.setting("api_version", DEFAULT_API_VERSION)


def configured_deployments(target: UpstreamTarget) -> list[DiscoveredModel] | None:
    """`settings.deployments`: names, or `{"name", "model"}` objects; `None` when not set."""
    raw = target.lookup("deployments")
    if not isinstance(raw, list) or not raw:
        return None
    found = []
    for entry in raw:
        if isinstance(entry, str) and entry:
            found.append(DiscoveredModel(id=entry))
        elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
            found.append(
                DiscoveredModel(id=entry["name"], display_name=text_or_none(entry.get("model")))
            )
    return found or None


def deployment_url(target: UpstreamTarget, deployment: str, operation: str) -> str:
    """E.g. `deployment_url(t, "gpt4o-prod", "/chat/completions")`, with the `api-version`."""
    base = join_url(require_base_url(target), f"/openai/deployments/{deployment}{operation}")
    return str(URL(base).update_query({"api-version": api_version(target)}))


class AzureAdapter(BaseAdapter):
    wire = "openai"
    # No default base URL: every resource has its own host (https://<resource>.openai.azure.com).

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        del upstream
        key = required_api_key(target, secret)
        url = URL(request.url, encoded=True)
        if "api-version" not in url.query:
            url = url.update_query({"api-version": api_version(target)})
        return UpstreamRequest(
            request.method, str(url), {**request.headers, "api-key": key}, request.body
        )

    async def _listed(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> list[DiscoveredModel]:
        url = join_url(require_base_url(target), "/openai/deployments")
        response = await self.fetch(upstream, target, secret, url)
        raise_for_status(response, secret.values())
        listed = response.entries(
            response.json_object(),
            "data",
            "id",
            missing='no "data" list of deployments',
            item="a deployment",
        )
        return discovered(listed, "id", "model", "owner")

    async def check(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        listed = await self._listed(upstream, target, secret)
        return configured_deployments(target) or listed

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        configured = configured_deployments(target)
        if configured is not None:
            return configured
        return await self._listed(upstream, target, secret)
