"""Streams through the gateway: unbuffered pass-through, or translated event by event.

Every pump records the tokens it sees into the request's `Usage`. Pass-through pumps forward
whole lines (an SSE consumer cannot act on half a line anyway), which lets them drop the usage
event the gateway asked for on the caller's behalf without ever holding back a complete event.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import aiohttp
import orjson

from aiport.gateway.schemas import Usage
from aiport.gateway.translate.base import JSON, SSE_DONE, StreamDecoder, sse
from aiport.gateway.translate.from_anthropic import AnthropicStreamEncoder

_USAGE = b'"usage"'
MAX_LINE = 1 << 20


def note_usage(usage: Usage, body: Any) -> None:
    """Tokens from an OpenAI or Anthropic response, chunk or stream event."""
    if not isinstance(body, dict):
        return
    found = body.get("usage")
    if not isinstance(found, dict):
        message = body.get("message")
        found = message.get("usage") if isinstance(message, dict) else None
        if not isinstance(found, dict):
            return
    if "prompt_tokens" in found or "completion_tokens" in found:
        usage.input_tokens = int(found.get("prompt_tokens") or 0)
        usage.output_tokens = int(found.get("completion_tokens") or 0)
        return
    if found.get("input_tokens"):
        usage.input_tokens = (
            int(found.get("input_tokens") or 0)
            + int(found.get("cache_read_input_tokens") or 0)
            + int(found.get("cache_creation_input_tokens") or 0)
        )
    if found.get("output_tokens") is not None:
        usage.output_tokens = int(found.get("output_tokens") or 0)


class SseScanner:
    """Forwards SSE bytes line-complete, noting usage and optionally dropping usage-only events."""

    __slots__ = ("_drop_usage_events", "_tail", "usage")

    def __init__(self, usage: Usage, *, drop_usage_events: bool = False):
        self.usage = usage
        self._tail = b""
        self._drop_usage_events = drop_usage_events

    def feed(self, data: bytes) -> bytes:
        if self._tail:
            data = self._tail + data
            self._tail = b""
        end = data.rfind(b"\n") + 1
        if end < len(data):
            if len(data) - end > MAX_LINE:
                end = len(data)
            else:
                data, self._tail = data[:end], data[end:]
        if _USAGE in data:
            return self._scan(data)
        return data

    def _scan(self, data: bytes) -> bytes:
        kept = []
        dropped = False
        for event in data.split(b"\n\n"):
            start = event.find(b"data:")
            if start >= 0 and _USAGE in event:
                payload = event[start + 5 :].split(b"\n", 1)[0].strip()
                try:
                    parsed = orjson.loads(payload)
                except orjson.JSONDecodeError:
                    parsed = None
                note_usage(self.usage, parsed)
                if (
                    self._drop_usage_events
                    and isinstance(parsed, dict)
                    and parsed.get("choices") == []
                ):
                    dropped = True
                    continue
            kept.append(event)
        return b"\n\n".join(kept) if dropped else data

    def close(self) -> bytes:
        tail, self._tail = self._tail, b""
        return tail


async def passthrough(
    response: aiohttp.ClientResponse, scanner: SseScanner | None
) -> AsyncGenerator[bytes, None]:
    if scanner is None:
        async for data in response.content.iter_any():
            yield data
        return
    async for data in response.content.iter_any():
        out = scanner.feed(data)
        if out:
            yield out
    tail = scanner.close()
    if tail:
        yield tail


async def to_openai(
    response: aiohttp.ClientResponse, decoder: StreamDecoder, usage: Usage, include_usage: bool
) -> AsyncGenerator[bytes, None]:
    """A translated upstream stream as OpenAI chat completion chunks, ending with `[DONE]`."""

    def encode(chunks: list[JSON]) -> bytes:
        out = bytearray()
        for chunk in chunks:
            if "usage" in chunk:
                note_usage(usage, chunk)
                if not include_usage and not chunk.get("choices"):
                    continue
            out += sse(chunk)
        return bytes(out)

    async for data in response.content.iter_any():
        out = encode(decoder.feed(data))
        if out:
            yield out
    yield encode(decoder.close()) + SSE_DONE


async def to_anthropic(
    response: aiohttp.ClientResponse, decoder: StreamDecoder, usage: Usage, model: str
) -> AsyncGenerator[bytes, None]:
    """An upstream stream, decoded to OpenAI chunks by `decoder`, as Anthropic events."""
    encoder = AnthropicStreamEncoder(model)
    async for data in response.content.iter_any():
        out = b"".join(encoder.feed(chunk) for chunk in decoder.feed(data))
        if out:
            yield out
    out = b"".join(encoder.feed(chunk) for chunk in decoder.close()) + encoder.close()
    usage.input_tokens, usage.output_tokens = encoder.usage
    yield out
