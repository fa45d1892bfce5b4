"""The gateway routes, served as plain ASGI ahead of FastAPI's middleware and routing.

This is the hot path: no request object, no dependency injection, no response classes. It parses
what it needs from the ASGI scope, makes one gateway call, and sends the reply, with
`X-AIPort-Overhead-Ms` (the time aiport itself added) on every response. Other paths go on to
FastAPI untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from aiport.auth.tokens import token_from_headers
from aiport.errors import AppError, PayloadTooLarge
from aiport.gateway import calls
from aiport.gateway.schemas import Caller, Usage
from aiport.gateway.service import Gateway
from aiport.surfaces.errors import InternalError, MethodNotAllowed, RouteNotFound
from aiport.surfaces.gateway.errors import (
    CODER_PREFIXES,
    Renderer,
    render_anthropic,
    render_coder,
    render_openai,
)
from aiport.workspaces.access import WORKSPACE_HEADER

logger = logging.getLogger("aiport.gateway")

# Coder's gateway paths: a provider name always follows the prefix.
CODER_PATHS = tuple(prefix + "/" for prefix in CODER_PREFIXES)
WATCH_AFTER = 0.05

Operation = Callable[[Gateway, Caller, Scope, dict[str, str], bytes, Usage], Awaitable[calls.Reply]]


class ClientGone(Exception):
    """The caller hung up before its request body arrived."""


async def _chat(
    gateway: Gateway, caller: Caller, _scope: Scope, _h: dict[str, str], body: bytes, usage: Usage
) -> calls.Reply:
    return await calls.chat(gateway, caller, body, usage)


async def _messages(
    gateway: Gateway,
    caller: Caller,
    _scope: Scope,
    headers: dict[str, str],
    body: bytes,
    usage: Usage,
) -> calls.Reply:
    return await calls.messages(gateway, caller, body, usage, headers)


async def _embeddings(
    gateway: Gateway, caller: Caller, _scope: Scope, _h: dict[str, str], body: bytes, usage: Usage
) -> calls.Reply:
    return await calls.embeddings(gateway, caller, body, usage)


async def _models(
    gateway: Gateway,
    caller: Caller,
    _scope: Scope,
    headers: dict[str, str],
    _body: bytes,
    _usage: Usage,
) -> calls.Reply:
    return await calls.models(gateway, caller, anthropic_shape="anthropic-version" in headers)


async def _passthrough(
    gateway: Gateway,
    caller: Caller,
    scope: Scope,
    headers: dict[str, str],
    body: bytes,
    usage: Usage,
) -> calls.Reply:
    path: str = scope["path"]
    prefix = CODER_PATHS[0] if path.startswith(CODER_PATHS[0]) else CODER_PATHS[1]
    name, _, rest = path[len(prefix) :].partition("/")
    return await calls.passthrough(
        gateway,
        caller,
        name=name,
        rest=rest,
        method=scope["method"],
        path=path,
        query=scope.get("query_string", b"").decode("latin-1"),
        headers=headers,
        body=body,
        usage=usage,
    )


# path → (endpoint name for usage, method, operation, error shape)
V1_ROUTES: dict[str, tuple[str, str, Operation, Renderer]] = {
    "/v1/chat/completions": ("chat", "POST", _chat, render_openai),
    "/v1/messages": ("messages", "POST", _messages, render_anthropic),
    "/v1/embeddings": ("embeddings", "POST", _embeddings, render_openai),
    "/v1/models": ("models", "GET", _models, render_openai),
}


async def read_body(receive: Receive, limit: int) -> bytes:
    message = await receive()
    if message["type"] == "http.disconnect":
        raise ClientGone()
    body: bytes = message.get("body", b"")
    if not message.get("more_body"):
        if len(body) > limit:
            raise PayloadTooLarge(f"request body is larger than {limit} bytes")
        return body
    parts = [body]
    size = len(body)
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body is larger than {limit} bytes")
        parts.append(chunk)
        if not message.get("more_body"):
            return b"".join(parts)


GATEWAY_PREFIXES = ("/v1/", *CODER_PATHS)


class GatewayFirst(FastAPI):
    """The app: FastAPI, except that gateway paths are served before FastAPI's own layers
    (telemetry, error and body-limit middleware, routing), which would cost the hot path more
    than the gateway itself spends."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(GATEWAY_PREFIXES):
            await dispatch(self.state.gateway, scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def dispatch(gateway: Gateway, scope: Scope, receive: Receive, send: Send) -> None:
    path: str = scope["path"]
    if path.startswith("/v1/"):
        route = V1_ROUTES.get(path)
        if route is None:
            await _send_error(send, render_openai(RouteNotFound(f"route not found: {path}")), 0.0)
            return
        endpoint, method, operation, render = route
        if scope["method"] != method:
            error = MethodNotAllowed(f"method {scope['method']} not allowed on {path}")
            await _send_error(send, render(error), 0.0)
            return
        await serve(gateway, scope, receive, send, endpoint, operation, render)
        return
    await serve(gateway, scope, receive, send, "passthrough", _passthrough, render_coder)


async def serve(
    gateway: Gateway,
    scope: Scope,
    receive: Receive,
    send: Send,
    endpoint: str,
    operation: Operation,
    render: Renderer,
) -> None:
    started = time.perf_counter()
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    usage: Usage | None = None
    try:
        body = await read_body(receive, gateway.config.max_body_bytes)
        caller = await gateway.authenticate(
            token_from_headers(headers, governance=True), headers.get(WORKSPACE_HEADER)
        )
        usage = Usage(caller.workspace_id, caller.user_id, caller.token_id, endpoint)
        reply = await operation(gateway, caller, scope, headers, body, usage)
    except ClientGone:
        return
    except AppError as error:
        await _send_error(send, render(error), _ms(started))
        _finish(gateway, usage, error.status, started, _ms(started))
        return
    except Exception as error:
        logger.error("gateway.unhandled path=%s", scope["path"], exc_info=error)
        await _send_error(send, render(InternalError("internal error")), _ms(started))
        _finish(gateway, usage, 500, started, _ms(started))
        return
    overhead = (time.perf_counter() - started - reply.upstream_seconds) * 1000
    response_headers = reply.headers
    response_headers.append((b"x-aiport-overhead-ms", b"%.3f" % overhead))
    if reply.stream is None:
        response_headers.append((b"content-length", str(len(reply.body)).encode()))
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": response_headers}
        )
        await send({"type": "http.response.body", "body": reply.body})
        status = reply.status
    else:
        await send(
            {"type": "http.response.start", "status": reply.status, "headers": response_headers}
        )
        status = await _stream(reply, receive, send)
    if usage is not None:
        _finish(gateway, usage, status, started, overhead)


async def _stream(reply: calls.Reply, receive: Receive, send: Send) -> int:
    """Sends the stream as it comes; a caller hanging up closes the upstream connection.

    The hang-up watcher (a task waiting on `receive`) starts only once a stream has lasted
    `WATCH_AFTER` seconds: most streams end sooner, and a task per request is a measurable
    share of a short stream's cost.
    """
    assert reply.stream is not None
    response = reply.response
    gone = asyncio.Event()
    watcher: asyncio.Future[None] | None = None

    async def watch() -> None:
        message = await receive()
        if message["type"] == "http.disconnect":
            gone.set()
            if response is not None:
                response.close()

    def start_watching() -> None:
        nonlocal watcher
        watcher = asyncio.ensure_future(watch())

    timer = asyncio.get_running_loop().call_later(WATCH_AFTER, start_watching)
    status = reply.status
    try:
        async for data in reply.stream:
            if gone.is_set():
                break
            await send({"type": "http.response.body", "body": data, "more_body": True})
    except (aiohttp.ClientError, TimeoutError) as error:
        if not gone.is_set():
            logger.warning("gateway.stream.upstream_broke error=%s", type(error).__name__)
            status = 502
    except Exception as error:
        # The status line is out: all that is left is to end the stream and say why in the log.
        logger.error("gateway.stream.failed", exc_info=error)
        status = 500
    finally:
        timer.cancel()
        if watcher is not None:
            watcher.cancel()
        await reply.stream.aclose()
        if response is not None:
            response.release()
    if gone.is_set():
        return 499
    await send({"type": "http.response.body", "body": b"", "more_body": False})
    return status


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _finish(
    gateway: Gateway, usage: Usage | None, status: int, started: float, overhead: float
) -> None:
    if usage is None:
        return
    usage.status = status
    usage.latency_ms = _ms(started)
    usage.overhead_ms = overhead
    gateway.record(usage)


async def _send_error(
    send: Send, rendered: tuple[int, list[tuple[bytes, bytes]], bytes], overhead: float
) -> None:
    status, headers, body = rendered
    headers = [
        *headers,
        (b"content-length", str(len(body)).encode()),
        (b"x-aiport-overhead-ms", b"%.3f" % overhead),
    ]
    start: Message = {"type": "http.response.start", "status": status, "headers": headers}
    with contextlib.suppress(OSError):
        await send(start)
        await send({"type": "http.response.body", "body": body})
