"""Checking a secret and discovering models, bounded by one overall deadline.

A check never raises: every failure becomes a status and a message that holds no secret.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiport.adapters.base import Adapter, CheckResult, DiscoveredModel, Secret, UpstreamTarget
from aiport.adapters.errors import CheckStatus, ProviderError, UpstreamTimeout
from aiport.adapters.http import Upstream, host_of, scrub


async def discover_models(
    adapter: Adapter, upstream: Upstream, target: UpstreamTarget, secret: Secret, *, within: float
) -> Sequence[DiscoveredModel]:
    """The provider's models, or a `ProviderError` (with scrubbed text) within `within` seconds."""
    try:
        async with asyncio.timeout(within):
            return await adapter.list_models(upstream, target, secret)
    except TimeoutError:
        host = host_of(target.base_url)
        raise UpstreamTimeout(f"{host} did not answer within {within:g} s", host=host) from None
    except ProviderError as error:
        error.message = scrub(error.message, secret.values())
        error.args = (error.message,)
        raise


async def check_credential(
    adapter: Adapter, upstream: Upstream, target: UpstreamTarget, secret: Secret, *, within: float
) -> CheckResult:
    """Check `secret` against the provider; the result carries the models it unlocks."""
    host = host_of(target.base_url)
    try:
        async with asyncio.timeout(within):
            models = await adapter.check(upstream, target, secret)
    except TimeoutError:
        return CheckResult(CheckStatus.TIMEOUT, f"{host} did not answer within {within:g} s")
    except ProviderError as error:
        return CheckResult(error.check_status, scrub(error.message, secret.values()))
    count = f"{len(models)} model{'' if len(models) == 1 else 's'} available"
    said = "accepted the key" if secret.values() else "answered"
    return CheckResult(CheckStatus.OK, f"{host} {said}: {count}", tuple(models))
