"""Amazon Bedrock: SigV4-signed calls with an access key pair, or with a role assumed from it.

The provider's base URL is the runtime endpoint (`bedrock-runtime.<region>…`, where Converse
lives); model listing is on the control-plane endpoint (`bedrock.<region>…`), derived from it.
Settings (under `settings.bedrock`, as the providers domain stores them, or at the top level):
`region`, and optionally `role_arn`, `external_id`, `sts_url`. An `anthropic` provider with an
AWS key pair is Claude on Bedrock: it is called here, at the Bedrock endpoint of its region.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from yarl import URL

from aiport.adapters.aws import RoleCache, raise_for_aws, sign
from aiport.adapters.base import (
    AwsKeys,
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    discovered,
    join_url,
    require_base_url,
)
from aiport.adapters.errors import CredentialRejected
from aiport.adapters.http import Upstream

DEFAULT_REGION = "us-east-1"
SECTION = "bedrock"
SIGNING_NAME = "bedrock"


def region_of(target: UpstreamTarget) -> str:
    """`settings.region`, else the region named in an AWS base URL, else us-east-1."""
    configured = target.setting("region", section=SECTION)
    if configured:
        return configured
    host = (URL(target.base_url).host or "") if target.type == "bedrock" and target.base_url else ""
    parts = host.split(".")
    if len(parts) >= 4 and parts[0] in ("bedrock", "bedrock-runtime") and parts[-2] == "amazonaws":
        return parts[1]
    return DEFAULT_REGION


def runtime_url(target: UpstreamTarget) -> str:
    """Where Converse and InvokeModel are: the base URL, or for Claude-on-Bedrock the region's."""
    if target.type != "bedrock":
        return f"https://bedrock-runtime.{region_of(target)}.amazonaws.com"
    return require_base_url(target)


def control_url(target: UpstreamTarget) -> str:
    """The control-plane base URL that lists foundation models."""
    base = URL(runtime_url(target))
    host = base.host or ""
    if host.startswith("bedrock-runtime."):
        return str(base.with_host("bedrock." + host.removeprefix("bedrock-runtime.")))
    return str(base)


class BedrockAdapter(BaseAdapter):
    wire = "bedrock"

    def __init__(self, clock: Callable[[], float] = time.time):
        self._roles = RoleCache(clock)

    def default_base_url(self, settings: Mapping[str, Any]) -> str:
        return runtime_url(UpstreamTarget("anthropic", "", settings))

    async def signing_keys(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> AwsKeys:
        """The stored key pair, or the temporary keys of `settings.role_arn` assumed with it."""
        if not isinstance(secret, AwsKeys):
            raise CredentialRejected(
                "Bedrock needs an AWS key pair (access_key and access_key_secret)"
            )
        role_arn = target.setting("role_arn", section=SECTION)
        if not role_arn:
            return secret
        region = region_of(target)
        return await self._roles.assume(
            upstream,
            secret,
            role_arn=role_arn,
            external_id=target.setting("external_id", section=SECTION),
            region=region,
            sts_url=target.setting("sts_url", f"https://sts.{region}.amazonaws.com/", SECTION),
        )

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        keys = await self.signing_keys(upstream, target, secret)
        return sign(request, keys, region_of(target), SIGNING_NAME)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        request = UpstreamRequest("GET", join_url(control_url(target), "/foundation-models"))
        keys = await self.signing_keys(upstream, target, secret)
        response = await upstream.send(sign(request, keys, region_of(target), SIGNING_NAME))
        raise_for_aws(response, (*secret.values(), *keys.values()))
        listed = response.entries(
            response.json_object(),
            "modelSummaries",
            "modelId",
            missing='no "modelSummaries" list',
            item="a model summary",
        )
        return discovered(listed, "modelId", "modelName", "providerName")
