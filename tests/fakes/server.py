"""What every fake upstream shares: a loopback server, request recording and failure scenarios."""

from __future__ import annotations

import asyncio
import enum
import hashlib
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler


class Scenario(enum.Enum):
    """How the fake answers every request, whatever the key."""

    NORMAL = "normal"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


MALFORMED_BODY = b'{"data": [{"id": "half-a-model'


class FakeServer:
    """A real aiohttp server on 127.0.0.1 with a random port; use `async with`."""

    # Sent as `retry-after` with every 429.
    retry_after = "7"

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.scenario = Scenario.NORMAL
        # Seconds every answer waits before being sent: a slow upstream, on purpose.
        self.answer_delay = 0.0
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What a provider of this type would store as its base URL."""
        return self.url

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        """An error in this protocol's own shape (OpenAI's by default)."""
        return json_response(
            {"error": {"message": message, "type": code, "code": code, "param": None}},
            status=status,
            headers=headers,
        )

    def requests_to(self, path_suffix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith(path_suffix)]

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers={k.lower(): v for k, v in request.headers.items()},
                body=await request.read(),
            )
        )
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        if self.scenario is Scenario.RATE_LIMITED:
            return self.error(
                429,
                "rate_limit_exceeded",
                "Rate limit reached for requests",
                headers={"retry-after": self.retry_after},
            )
        if self.scenario is Scenario.SERVER_ERROR:
            return self.error(500, "server_error", "The server had an error")
        if self.scenario is Scenario.MALFORMED:
            return web.Response(body=MALFORMED_BODY, content_type="application/json")
        return await handler(request)

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[self._record])
        self.routes(app)
        # handler_cancellation: a client that gave up (a timeout test) ends the slow handler.
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=orjson.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def bearer(request: web.Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def fake_vector(text: str, dimensions: int = 8) -> list[float]:
    """A deterministic embedding, so tests can compare results."""
    digest = hashlib.sha256(text.encode()).digest()
    return [round(b / 255, 6) for b in digest[:dimensions]]


def count_tokens(text: str) -> int:
    return max(1, len(text.split()))


async def sse(request: web.Request, events: list[tuple[str | None, Any]]) -> web.StreamResponse:
    """Server-sent events; each `(event name or None, JSON data or the raw string)`."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for name, data in events:
        payload = data if isinstance(data, str) else orjson.dumps(data).decode()
        prefix = f"event: {name}\n" if name else ""
        await response.write(f"{prefix}data: {payload}\n\n".encode())
    await response.write_eof()
    return response
