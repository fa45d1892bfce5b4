"""The gateway's operations: chat (OpenAI and Anthropic shapes), embeddings, models, pass-through.

Each returns a `Reply` for the surface to send. The request body is parsed only where routing
or translation needs it; when the caller and the provider speak the same protocol the upstream
body and stream pass through untouched (but for the model name).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from aiport.adapters import UpstreamBadResponse
from aiport.adapters.http import generic_detail, scrub
from aiport.gateway import streaming
from aiport.gateway.catalog import anthropic_list, openai_list
from aiport.gateway.errors import (
    NO_MODEL_NAMED,
    InvalidGatewayRequest,
    ProviderDisabled,
    RouteNotSupported,
    UpstreamError,
)
from aiport.gateway.schemas import Caller, ProviderEntry, Route, Usage
from aiport.gateway.service import Gateway
from aiport.gateway.translate import CODECS
from aiport.gateway.translate.from_anthropic import (
    anthropic_to_openai_request,
    openai_to_anthropic_response,
)
from aiport.gateway.upstream import Answer
from aiport.gateway.urls import api_base, openai_url, passthrough_url
from aiport.models.errors import ModelNotFound

JSON_TYPE = [(b"content-type", b"application/json")]
SSE_TYPE = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache")]
REQUEST_HEADERS = {"Content-Type": "application/json"}
# Never forwarded upstream: hop-by-hop headers and every way a caller's own credentials travel.
_DROP_REQUEST = frozenset(
    {
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
        "proxy-authorization", "proxy-connection", "authorization", "x-api-key", "api-key",
        "x-goog-api-key", "coder-session-token", "x-coder-ai-governance-token", "cookie",
        "aiport-workspace", "accept-encoding", "x-forwarded-for", "x-real-ip", "forwarded",
    }
)  # fmt: skip
_DROP_RESPONSE = frozenset(
    {
        b"content-length", b"content-encoding", b"transfer-encoding", b"connection", b"keep-alive",
        b"date", b"server", b"set-cookie", b"alt-svc", b"strict-transport-security",
    }
)  # fmt: skip
MAX_USAGE_SCAN = 1 << 20


@dataclass(slots=True)
class Reply:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""
    stream: AsyncGenerator[bytes, None] | None = None
    response: aiohttp.ClientResponse | None = None
    upstream_seconds: float = 0.0


def parse_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidGatewayRequest("the request body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise InvalidGatewayRequest("the request body must be a JSON object")
    return parsed


def _model_of(request: dict[str, Any]) -> str:
    model = request.get("model")
    if not isinstance(model, str) or not model:
        raise ModelNotFound(NO_MODEL_NAMED)
    return model


def _describe(route: Route, usage: Usage, stream: bool) -> None:
    usage.provider_id = route.provider.id
    usage.provider_name = route.provider.name
    usage.model = route.model
    usage.stream = stream


def _response_headers(response: aiohttp.ClientResponse) -> list[tuple[bytes, bytes]]:
    return [(k.lower(), v) for k, v in response.raw_headers if k.lower() not in _DROP_RESPONSE]


async def _read(answer: Answer, reply: Reply) -> bytes:
    started = time.perf_counter()
    try:
        data = await answer.response.read()
    except (aiohttp.ClientError, TimeoutError):
        raise UpstreamBadResponse("the provider broke off its answer") from None
    finally:
        answer.response.release()
    reply.upstream_seconds = answer.upstream_seconds + time.perf_counter() - started
    return data


async def _failed(answer: Answer, kind: str = "invalid_request_error") -> UpstreamError:
    """A provider's client error, as a message the caller's surface renders in its own shape."""
    response = answer.response
    try:
        data = await response.content.read(8192)
    except (aiohttp.ClientError, TimeoutError):
        data = b""
    finally:
        response.release()
    secrets = answer.key.secret.values() if answer.key is not None else ()
    detail = scrub(generic_detail(data), secrets) or f"the provider answered {response.status}"
    return UpstreamError(response.status, detail, kind)


def _is_stream(response: aiohttp.ClientResponse) -> bool:
    return response.content_type == "text/event-stream" or response.content_type.endswith(
        "eventstream"
    )


def _note_json(usage: Usage, data: bytes) -> None:
    if len(data) <= MAX_USAGE_SCAN and b'"usage"' in data:
        with contextlib.suppress(orjson.JSONDecodeError):
            streaming.note_usage(usage, orjson.loads(data))


def _start(answer: Answer, usage: Usage) -> Reply:
    usage.credential_id = answer.key.credential_id if answer.key is not None else None
    usage.failovers = answer.failovers
    usage.status = answer.response.status
    return Reply(
        answer.response.status,
        [],
        response=answer.response,
        upstream_seconds=answer.upstream_seconds,
    )


async def chat(gateway: Gateway, caller: Caller, body: bytes, usage: Usage) -> Reply:
    """`POST /v1/chat/completions`: OpenAI's shape in and out, any provider behind."""
    request = parse_object(body)
    route = await gateway.route(caller, _model_of(request))
    provider = route.provider
    stream = bool(request.get("stream"))
    _describe(route, usage, stream)
    include_usage = bool((request.get("stream_options") or {}).get("include_usage"))
    if provider.protocol == "openai":
        request["model"] = route.model
        if stream and not include_usage:
            request["stream_options"] = {
                **(request.get("stream_options") or {}),
                "include_usage": True,
            }
        url = openai_url(provider, route.model, "/chat/completions")
        answer = await gateway.send(provider, "POST", url, REQUEST_HEADERS, orjson.dumps(request))
        reply = _start(answer, usage)
        if answer.response.status >= 400:
            data = await _read(answer, reply)
            reply.headers, reply.body = _response_headers(answer.response), data
            return reply
        reply.headers = _response_headers(answer.response)
        if stream and _is_stream(answer.response):
            scanner = streaming.SseScanner(usage, drop_usage_events=not include_usage)
            reply.stream = streaming.passthrough(answer.response, scanner)
            return reply
        reply.body = await _read(answer, reply)
        _note_json(usage, reply.body)
        return reply
    codec = CODECS[provider.protocol]
    upstream_body = orjson.dumps(codec.chat_request(request, route.model, stream))
    url = api_base(provider) + codec.chat_path(route.model, stream)
    answer = await gateway.send(provider, "POST", url, REQUEST_HEADERS, upstream_body)
    reply = _start(answer, usage)
    if answer.response.status >= 400:
        raise await _failed(answer)
    if stream:
        reply.headers = list(SSE_TYPE)
        decoder = codec.stream_decoder(route.model)
        reply.stream = streaming.to_openai(answer.response, decoder, usage, include_usage)
        return reply
    translated = codec.chat_response(_json(await _read(answer, reply)), route.model)
    streaming.note_usage(usage, translated)
    reply.headers, reply.body = list(JSON_TYPE), orjson.dumps(translated)
    return reply


def _json(data: bytes) -> dict[str, Any]:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise UpstreamBadResponse("the provider answered with a body that is not JSON") from None
    if not isinstance(parsed, dict):
        raise UpstreamBadResponse("the provider answered with JSON that is not an object")
    return parsed


async def messages(
    gateway: Gateway,
    caller: Caller,
    body: bytes,
    usage: Usage,
    headers: Mapping[str, str],
    provider: ProviderEntry | None = None,
) -> Reply:
    """`POST /v1/messages`: Anthropic's shape in and out, any provider behind."""
    request = parse_object(body)
    model = _model_of(request)
    if provider is None:
        route = await gateway.route(caller, model)
    else:
        gateway.require_usable(provider, model)
        route = Route(provider, model)
    provider = route.provider
    stream = bool(request.get("stream"))
    _describe(route, usage, stream)
    if provider.protocol == "anthropic":
        request["model"] = route.model
        forwarded = dict(REQUEST_HEADERS)
        for name in ("anthropic-version", "anthropic-beta"):
            if name in headers:
                forwarded[name] = headers[name]
        url = api_base(provider) + "/v1/messages"
        answer = await gateway.send(provider, "POST", url, forwarded, orjson.dumps(request))
        reply = _start(answer, usage)
        reply.headers = _response_headers(answer.response)
        if stream and answer.response.status < 400 and _is_stream(answer.response):
            reply.stream = streaming.passthrough(answer.response, streaming.SseScanner(usage))
            return reply
        reply.body = await _read(answer, reply)
        _note_json(usage, reply.body)
        return reply
    codec = CODECS[provider.protocol]
    hub = anthropic_to_openai_request(request, route.model)
    upstream_body = orjson.dumps(codec.chat_request(hub, route.model, stream))
    url = (
        openai_url(provider, route.model, "/chat/completions")
        if provider.protocol == "openai"
        else api_base(provider) + codec.chat_path(route.model, stream)
    )
    answer = await gateway.send(provider, "POST", url, REQUEST_HEADERS, upstream_body)
    reply = _start(answer, usage)
    if answer.response.status >= 400:
        raise await _failed(answer)
    if stream:
        reply.headers = list(SSE_TYPE)
        decoder = codec.stream_decoder(route.model)
        reply.stream = streaming.to_anthropic(answer.response, decoder, usage, route.model)
        return reply
    translated = codec.chat_response(_json(await _read(answer, reply)), route.model)
    streaming.note_usage(usage, translated)
    reply.headers = list(JSON_TYPE)
    reply.body = orjson.dumps(openai_to_anthropic_response(translated, route.model))
    return reply


async def embeddings(gateway: Gateway, caller: Caller, body: bytes, usage: Usage) -> Reply:
    """`POST /v1/embeddings` in OpenAI's shape."""
    request = parse_object(body)
    route = await gateway.route(caller, _model_of(request))
    provider = route.provider
    _describe(route, usage, False)
    if provider.protocol == "openai":
        request["model"] = route.model
        url = openai_url(provider, route.model, "/embeddings")
        answer = await gateway.send(provider, "POST", url, REQUEST_HEADERS, orjson.dumps(request))
        reply = _start(answer, usage)
        reply.headers = _response_headers(answer.response)
        reply.body = await _read(answer, reply)
        _note_json(usage, reply.body)
        return reply
    codec = CODECS[provider.protocol]
    path, upstream_request = codec.embeddings(request, route.model)
    answer = await gateway.send(
        provider, "POST", api_base(provider) + path, REQUEST_HEADERS, orjson.dumps(upstream_request)
    )
    reply = _start(answer, usage)
    if answer.response.status >= 400:
        raise await _failed(answer)
    translated = codec.embeddings_response(_json(await _read(answer, reply)), route.model)
    reply.headers, reply.body = list(JSON_TYPE), orjson.dumps(translated)
    return reply


async def passthrough(
    gateway: Gateway,
    caller: Caller,
    *,
    name: str,
    rest: str,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    usage: Usage,
) -> Reply:
    """Coder's AI gateway: `/api/v2/ai-gateway/{name}/{rest}` in the provider's own protocol."""
    provider = await gateway.provider(caller.workspace_id, name)
    if provider is None:
        raise RouteNotSupported(method, path)
    if not provider.enabled:
        raise ProviderDisabled(provider.name)
    if provider.protocol == "bedrock" and rest == "v1/messages" and method == "POST":
        return await messages(gateway, caller, body, usage, headers, provider)
    url = passthrough_url(provider, rest)
    if url is None:
        raise RouteNotSupported(method, path)
    if query:
        url = f"{url}?{query}"
    usage.provider_id, usage.provider_name = provider.id, provider.name
    if body[:1] == b"{" and len(body) <= MAX_USAGE_SCAN:
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            request = None
        if isinstance(request, dict):
            usage.model = str(request.get("model") or "")
            usage.stream = bool(request.get("stream"))
    forwarded = {k: v for k, v in headers.items() if k not in _DROP_REQUEST}
    answer = await gateway.send(provider, method, url, forwarded, body or None)
    reply = _start(answer, usage)
    reply.headers = _response_headers(answer.response)
    if answer.response.status < 400 and answer.response.content_type == "text/event-stream":
        reply.stream = streaming.passthrough(answer.response, streaming.SseScanner(usage))
        return reply
    if answer.response.status < 400 and _is_stream(answer.response):
        reply.stream = streaming.passthrough(answer.response, None)
        return reply
    reply.body = await _read(answer, reply)
    _note_json(usage, reply.body)
    return reply


async def models(gateway: Gateway, caller: Caller, *, anthropic_shape: bool) -> Reply:
    """`GET /v1/models`: the models the caller may use, in OpenAI's (or Anthropic's) list shape."""
    entries: list[tuple[ProviderEntry, str]] = []
    for provider in await gateway.workspace_providers(caller.workspace_id):
        if provider.enabled:
            entries.extend((provider, m) for m in await gateway.catalog.models_of(provider))
    listing = anthropic_list(entries) if anthropic_shape else openai_list(entries)
    return Reply(200, list(JSON_TYPE), body=orjson.dumps(listing))
