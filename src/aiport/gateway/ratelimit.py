"""Request rate limits per token and per workspace, in fixed windows.

In-process by default (each worker counts on its own); with Redis the counters are shared, so a
limit holds across every worker and instance. One round trip checks both limits.
"""

from __future__ import annotations

import math
import time

from redis.asyncio import Redis

from aiport.gateway.errors import RateLimited

_PREFIX = "aiport:ratelimit:"


class RateLimits:
    def __init__(
        self, *, per_token: int, per_workspace: int, window: float, redis: Redis | None = None
    ):
        self.per_token = per_token
        self.per_workspace = per_workspace
        self.window = window
        self.enabled = per_token > 0 or per_workspace > 0
        self._redis = redis
        self._counts: dict[str, int] = {}
        self._window_index = -1

    async def check(self, token_id: int, workspace_id: int) -> None:
        """Counts this request; raises `RateLimited` when a limit is exceeded."""
        now = time.time()
        index = int(now // self.window)
        retry_after = max(1, math.ceil((index + 1) * self.window - now))
        checks: list[tuple[str, str, int]] = []
        if self.per_token > 0:
            checks.append(("token", f"t:{token_id}:{index}", self.per_token))
        if self.per_workspace > 0:
            checks.append(("workspace", f"w:{workspace_id}:{index}", self.per_workspace))
        counts = await (
            self._count_redis(checks) if self._redis else self._count_local(index, checks)
        )
        for (scope, _key, limit), count in zip(checks, counts, strict=True):
            if count > limit:
                raise RateLimited(scope, retry_after)

    async def _count_local(self, index: int, checks: list[tuple[str, str, int]]) -> list[int]:
        if index != self._window_index:
            self._counts.clear()
            self._window_index = index
        counts = []
        for _scope, key, _limit in checks:
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
            counts.append(count)
        return counts

    async def _count_redis(self, checks: list[tuple[str, str, int]]) -> list[int]:
        assert self._redis is not None
        expiry = math.ceil(self.window) + 1
        async with self._redis.pipeline(transaction=False) as pipe:
            for _scope, key, _limit in checks:
                pipe.incr(_PREFIX + key)
                pipe.expire(_PREFIX + key, expiry, nx=True)
            results = await pipe.execute()
        return [int(results[i * 2]) for i in range(len(checks))]
