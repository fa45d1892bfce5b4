"""One upstream call with key failover: the only place the gateway touches the network.

Keys are tried in the pool's order. A 401/403/429/5xx answer, or a connection that fails before
the first byte, puts the key on a cooldown (a 429's `retry-after` is honoured) and moves on to
the next key; the caller sees only the answer of the key that worked. The body is sent as is,
so a failover costs no re-encoding.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from yarl import URL

from aiport.adapters import (
    Adapter,
    NoSecret,
    ProviderError,
    Upstream,
    UpstreamRequest,
    UpstreamTarget,
)
from aiport.adapters.http import generic_detail, retry_after_seconds, scrub
from aiport.gateway.errors import KeysExhausted, NoCredentials
from aiport.gateway.keys import (
    AUTH_COOLDOWN,
    ERROR_COOLDOWN,
    RATE_LIMIT_COOLDOWN,
    Cooldowns,
    Cooling,
    Key,
)
from aiport.gateway.schemas import ProviderEntry

logger = logging.getLogger("aiport.gateway")

FAILOVER_STATUSES = frozenset({401, 403, 429})
MAX_ERROR_BODY = 4096
MAX_CACHED_URLS = 10_000
_NO_SECRET = NoSecret()


@dataclass(slots=True)
class Answer:
    """The upstream response to pass on, the key that earned it, and how long upstream took."""

    response: aiohttp.ClientResponse
    key: Key | None
    failovers: int
    upstream_seconds: float


class UpstreamSender:
    """Sends gateway requests through the process's one pooled session."""

    def __init__(self, upstream: Upstream, cooldowns: Cooldowns):
        self.upstream = upstream
        self.session = upstream.session
        self.cooldowns = cooldowns
        self._urls: dict[str, URL] = {}

    async def send(
        self,
        provider: ProviderEntry,
        adapter: Adapter,
        target: UpstreamTarget,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
    ) -> Answer:
        keys, skipped = provider.pool.attempt_order(self.cooldowns)
        if not provider.pool.keys:
            if provider.undecryptable:
                raise NoCredentials(provider.name, undecryptable=provider.undecryptable)
            if adapter.requires_secret:
                raise NoCredentials(provider.name)
            keys_or_none: list[Key | None] = [None]
        else:
            keys_or_none = list(keys)
        if not keys_or_none:
            raise _exhausted(provider.name, skipped, "")
        waited = 0.0
        last = ""
        tried: list[Cooling] = []
        for attempt, key in enumerate(keys_or_none):
            secret = key.secret if key is not None else _NO_SECRET
            request = UpstreamRequest(method, url, headers, body)
            started = time.perf_counter()
            try:
                request = await adapter.authorize(self.upstream, target, secret, request)
                response = await self.session.request(
                    method, self._url(request.url), headers=request.headers, data=body
                )
            except ProviderError as error:
                waited += time.perf_counter() - started
                last = error.message
                if key is None:
                    raise
                tried.append(self._cool(provider, key, ERROR_COOLDOWN, False, last))
                continue
            except (aiohttp.ClientError, TimeoutError, OSError) as error:
                waited += time.perf_counter() - started
                last = f"cannot reach the provider: {type(error).__name__}"
                if key is None:
                    raise _exhausted(provider.name, [], last) from None
                tried.append(self._cool(provider, key, ERROR_COOLDOWN, False, last))
                continue
            waited += time.perf_counter() - started
            status = response.status
            if status < 500 and status not in FAILOVER_STATUSES:
                return Answer(response, key, attempt, waited)
            detail = await _error_detail(response, key)
            last = f"{status} {detail}".strip()
            if key is None:
                raise _exhausted(provider.name, [], last)
            if status == 429:
                wait = retry_after_seconds(response.headers) or RATE_LIMIT_COOLDOWN
                tried.append(self._cool(provider, key, wait, True, last))
            elif status in (401, 403):
                tried.append(self._cool(provider, key, AUTH_COOLDOWN, False, last))
            else:
                tried.append(self._cool(provider, key, ERROR_COOLDOWN, False, last))
        raise _exhausted(provider.name, skipped + tried, last)

    def _url(self, url: str) -> URL:
        """Parsed once per distinct URL; `encoded=True` sends it exactly as built (and signed)."""
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= MAX_CACHED_URLS:
                self._urls.clear()
            parsed = self._urls[url] = URL(url, encoded=True)
        return parsed

    def _cool(
        self, provider: ProviderEntry, key: Key, seconds: float, rate_limited: bool, reason: str
    ) -> Cooling:
        self.cooldowns.cool(key, seconds, rate_limited=rate_limited, reason=reason)
        logger.warning(
            "gateway.key.failover provider=%s credential=%s cooldown_s=%.0f reason=%s",
            provider.name,
            key.credential_id,
            seconds,
            reason,
        )
        cooling = self.cooldowns.get(key.credential_id, time.monotonic())
        return cooling or Cooling(time.monotonic(), rate_limited, reason)


async def _error_detail(response: aiohttp.ClientResponse, key: Key | None) -> str:
    try:
        body = await response.content.read(MAX_ERROR_BODY)
    except (aiohttp.ClientError, TimeoutError):
        body = b""
    finally:
        response.release()
    secrets = key.secret.values() if key is not None else ()
    return scrub(generic_detail(body), secrets)


def _exhausted(name: str, cooling: list[Cooling], last: str) -> KeysExhausted:
    now = time.monotonic()
    limited = [c for c in cooling if c.rate_limited]
    retry_after = math.ceil(max(1.0, min(c.until - now for c in limited))) if limited else None
    if not last and cooling:
        last = cooling[-1].reason
    return KeysExhausted(name, rate_limited=bool(limited), retry_after=retry_after, last=last)
