"""Sending one upstream request and turning every way it can fail into a `ProviderError`.

Adapters build requests, `Upstream.send` sends them through the shared session, and
`error_for_status` maps an HTTP failure to the typed error with a message a person can act on.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import orjson
from yarl import URL

from aiport.adapters.base import UpstreamRequest
from aiport.adapters.errors import (
    CredentialForbidden,
    CredentialRejected,
    OutboundBlocked,
    ProviderError,
    UpstreamBadResponse,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnreachable,
)

# A model listing is a few hundred kilobytes at most; anything far larger is not one.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_DETAIL_CHARS = 300
REDACTED = "<redacted>"


def host_of(url: str) -> str:
    """The host (and a non-default port) of a URL, as messages name it; never its userinfo."""
    try:
        parsed = URL(url)
    except ValueError:
        return "the upstream"
    if not parsed.host:
        return "the upstream"
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
    return host if parsed.is_default_port() else f"{host}:{parsed.port}"


def scrub(text: str, secrets: Sequence[str]) -> str:
    """`text` without any of `secrets`, shortened to one line a message can carry."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = " ".join(text.split())
    if len(text) > MAX_DETAIL_CHARS:
        text = text[: MAX_DETAIL_CHARS - 1] + "…"
    return text


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms`, `retry-after` (seconds or an HTTP date), as seconds."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


@dataclass(frozen=True)
class UpstreamResponse:
    """A fully read upstream answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def host(self) -> str:
        return host_of(self.url)

    @property
    def path(self) -> str:
        return URL(self.url).path

    def json(self) -> Any:
        """The body as JSON, or `UpstreamBadResponse` naming what came instead."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            kind = self.headers.get("content-type", "unknown").split(";")[0] or "unknown"
            raise UpstreamBadResponse(
                f"{self.host} answered {self.status} at {self.path} with a body that is not "
                f"JSON ({kind}, {len(self.body)} bytes)",
                host=self.host,
                upstream_status=self.status,
            ) from None

    def json_object(self) -> dict[str, Any]:
        parsed = self.json()
        if not isinstance(parsed, dict):
            raise self.unexpected("a JSON object was expected")
        return parsed

    def error_body(self) -> dict[str, Any]:
        """The body of an error answer as a JSON object, or `{}` when it is not one."""
        try:
            return self.json_object()
        except UpstreamBadResponse:
            return {}

    def entries(
        self,
        body: Mapping[str, Any],
        key: str,
        id_field: str,
        *,
        missing: str,
        item: str = "a model",
        optional: bool = False,
    ) -> list[dict[str, Any]]:
        """The objects listed under `key`, each with a string `id_field`; `missing` says what
        is wrong when there is no such list (an `optional` one may be absent: none listed)."""
        listed = body.get(key, [] if optional else None)
        if not isinstance(listed, list):
            raise self.unexpected(missing)
        for entry in listed:
            if not isinstance(entry, dict) or not isinstance(entry.get(id_field), str):
                raise self.unexpected(f'{item} without a string "{id_field}"')
        return listed

    def unexpected(self, why: str) -> UpstreamBadResponse:
        return UpstreamBadResponse(
            f"{self.host} answered {self.status} at {self.path} in an unexpected shape: {why}",
            host=self.host,
            upstream_status=self.status,
        )


def generic_detail(body: bytes) -> str:
    """The error code and message of the common JSON error shapes, else the start of the body."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:200].decode("utf-8", "replace")
    if not isinstance(parsed, dict):
        return ""
    error = parsed.get("error", parsed)
    if isinstance(error, str):
        return error
    if not isinstance(error, dict):
        return ""
    code = error.get("code") or error.get("type") or error.get("status") or ""
    message = error.get("message") or error.get("detail") or parsed.get("message") or ""
    parts = [str(p) for p in (code, message) if p and not isinstance(p, dict | list)]
    return ": ".join(parts)


def raise_for_status(
    response: UpstreamResponse, secrets: Sequence[str], detail: str | None = None
) -> None:
    """Raise the typed error for any answer that is not a 2xx."""
    if 200 <= response.status < 300:
        return
    raise error_for_status(
        response, generic_detail(response.body) if detail is None else detail, secrets
    )


def error_for_status(
    response: UpstreamResponse, detail: str, secrets: Sequence[str]
) -> ProviderError:
    """The typed error for a failed answer; `detail` is the vendor's own error code/message."""
    host, status = response.host, response.status
    said = scrub(f"{status} {detail}".strip(), secrets)
    error: type[ProviderError] = UpstreamBadResponse
    if status == 429:
        wait = retry_after_seconds(response.headers)
        hint = f"; retry after {wait:g} s" if wait is not None else ""
        return UpstreamRateLimited(
            f"{host} is rate limiting this key: {said}{hint}",
            host=host,
            upstream_status=status,
            retry_after=wait,
        )
    if status == 401:
        error, message = CredentialRejected, f"the key was refused by {host}: {said}"
    elif status == 403:
        error, message = CredentialForbidden, f"{host} accepted the key but refused access: {said}"
    elif status in (408, 504):
        error, message = UpstreamTimeout, f"{host} timed out upstream: {said}"
    elif status == 404:
        message = f"{host} has nothing at {response.path} ({said}): check the base URL"
    else:
        message = f"{host} answered {said} at {response.path}"
    return error(message, host=host, upstream_status=status)


def transport_error(error: BaseException, url: str, timeout: float | None) -> ProviderError:
    """What a failed connection, a timeout or a broken stream means, with the host named."""
    host = host_of(url)
    if isinstance(error, OutboundBlocked):
        return error
    if isinstance(error, TimeoutError):
        within = f" within {timeout:g} s" if timeout else ""
        return UpstreamTimeout(f"{host} did not answer{within}", host=host)
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return UpstreamUnreachable(f"cannot reach {host}: the name does not resolve", host=host)
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        return UpstreamUnreachable(
            f"cannot reach {host}: its TLS certificate is not trusted", host=host
        )
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error
        reason = os.strerror(cause.errno) if cause.errno else type(cause).__name__
        return UpstreamUnreachable(f"cannot reach {host}: {reason.lower()}", host=host)
    if isinstance(error, aiohttp.NonHttpUrlRedirectClientError):
        return OutboundBlocked(f"{host} redirected to a URL that is not http or https", host=host)
    if isinstance(error, aiohttp.NonHttpUrlClientError):
        scheme = url.split(":", 1)[0] if ":" in url else "none"
        return OutboundBlocked(
            f"only http and https upstream URLs are allowed, not {scheme!r}", host=host
        )
    if isinstance(error, aiohttp.TooManyRedirects):
        return UpstreamBadResponse(f"{host} redirected too many times", host=host)
    if isinstance(error, aiohttp.InvalidURL):
        return UpstreamUnreachable(f"{url!r} is not a valid upstream URL", host=host)
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return UpstreamUnreachable(f"{host} closed the connection without answering", host=host)
    if isinstance(error, aiohttp.ClientPayloadError):
        return UpstreamBadResponse(f"{host} sent a broken response body", host=host)
    return UpstreamUnreachable(f"cannot talk to {host}: {type(error).__name__}", host=host)


@dataclass(frozen=True)
class Upstream:
    """The shared session with the timeouts of one kind of work (a check, a gateway call)."""

    session: aiohttp.ClientSession
    timeout: aiohttp.ClientTimeout
    max_redirects: int = 5

    async def send(self, request: UpstreamRequest) -> UpstreamResponse:
        """Send and read the whole answer; any transport failure becomes a `ProviderError`."""
        try:
            async with self.session.request(
                request.method,
                # encoded=True: the URL goes out exactly as built (and, for Bedrock, as signed).
                URL(request.url, encoded=True),
                headers=dict(request.headers),
                data=request.body,
                timeout=self.timeout,
                max_redirects=self.max_redirects,
            ) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.content.iter_chunked(64 * 1024):
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        raise UpstreamBadResponse(
                            f"{host_of(request.url)} sent more than {MAX_RESPONSE_BYTES} bytes",
                            host=host_of(request.url),
                        )
                    chunks.append(chunk)
                body = b"".join(chunks)
                return UpstreamResponse(
                    status=response.status,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=body,
                    url=str(response.url),
                )
        except ProviderError:
            raise
        except (aiohttp.ClientError, TimeoutError) as error:
            raise transport_error(error, request.url, self.timeout.total) from None
