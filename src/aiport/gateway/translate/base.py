"""The codec protocol and the small helpers every codec shares."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import orjson

JSON = dict[str, Any]


class StreamDecoder(Protocol):
    """Turns an upstream stream's bytes into OpenAI chat completion chunks."""

    def feed(self, data: bytes) -> list[JSON]: ...

    def close(self) -> list[JSON]:
        """The closing chunks (finish reason, usage) once the upstream stream ended."""
        ...


class UpstreamCodec(Protocol):
    """One upstream wire protocol, seen from OpenAI's chat format."""

    def chat_path(self, model: str, stream: bool) -> str:
        """The path after the provider's base URL."""
        ...

    def chat_request(self, request: JSON, model: str, stream: bool) -> JSON: ...

    def chat_response(self, body: JSON, model: str) -> JSON: ...

    def stream_decoder(self, model: str) -> StreamDecoder: ...

    def embeddings(self, request: JSON, model: str) -> tuple[str, JSON]:
        """The path and body of an embeddings call; raises OperationNotSupported if none."""
        ...

    def embeddings_response(self, body: JSON, model: str) -> JSON: ...


class SseParser:
    """Server-sent events from arbitrary byte chunks: yields (event name, data) pairs."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        buffer = self._buffer + data
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
        events: list[tuple[str, bytes]] = []
        while True:
            end = buffer.find(b"\n\n")
            if end < 0:
                break
            raw, buffer = buffer[:end], buffer[end + 2 :]
            name = ""
            lines = []
            for line in raw.split(b"\n"):
                if line.startswith(b"data:"):
                    value = line[5:]
                    lines.append(value[1:] if value.startswith(b" ") else value)
                elif line.startswith(b"event:"):
                    name = line[6:].strip().decode()
            if lines:
                events.append((name, b"\n".join(lines)))
        self._buffer = buffer
        return events

    def feed_json(self, data: bytes) -> list[Any]:
        """The data of each complete event, parsed; data that is not JSON (`[DONE]`) is skipped."""
        parsed = []
        for _name, payload in self.feed(data):
            try:
                parsed.append(orjson.loads(payload))
            except orjson.JSONDecodeError:
                continue
        return parsed


def sse(data: JSON, event: str | None = None) -> bytes:
    head = b"event: " + event.encode() + b"\n" if event else b""
    return head + b"data: " + orjson.dumps(data) + b"\n\n"


SSE_DONE = b"data: [DONE]\n\n"


def completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def now() -> int:
    return int(time.time())


def parse_json(text: str | bytes | None) -> Any:
    """Tool arguments as an object; unparsable text is kept so nothing the model said is lost."""
    if not text:
        return {}
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return {"_raw": text if isinstance(text, str) else text.decode(errors="replace")}


def text_of(content: Any) -> str:
    """The text of an OpenAI message content (a string or a list of parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") in ("text", "input_text")
        )
    return str(content)


def data_url(url: str) -> tuple[str, str] | None:
    """(media type, base64 data) of a `data:` URL, else None."""
    if not url.startswith("data:"):
        return None
    head, _, data = url[5:].partition(",")
    media_type = head.split(";")[0] or "application/octet-stream"
    return media_type, data


def chunk(cid: str, model: str, created: int, delta: JSON, finish: str | None = None) -> JSON:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def usage_chunk(cid: str, model: str, created: int, prompt: int, completion: int) -> JSON:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def completion(
    cid: str,
    model: str,
    content: str | None,
    tool_calls: list[JSON],
    finish: str,
    prompt: int,
    completion_tokens: int,
) -> JSON:
    message: JSON = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": cid,
        "object": "chat.completion",
        "created": now(),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        },
    }


class ChunkMaker:
    """Base of the stream decoders: the id, model and time every OpenAI chunk of one stream
    carries, and the two chunks that end it."""

    def __init__(self, model: str):
        self.id = completion_id()
        self.model = model
        self.created = now()

    def chunk(self, delta: JSON, finish: str | None = None) -> JSON:
        return chunk(self.id, self.model, self.created, delta, finish)

    def last_chunks(self, finish: str, prompt: int, completion: int) -> list[JSON]:
        """The finish reason, then the usage."""
        return [
            self.chunk({}, finish),
            usage_chunk(self.id, self.model, self.created, prompt, completion),
        ]


def max_tokens_of(request: JSON) -> int | None:
    value = request.get("max_completion_tokens") or request.get("max_tokens")
    return int(value) if isinstance(value, int | float) else None


def stop_list(request: JSON) -> list[str]:
    stop = request.get("stop")
    if isinstance(stop, str):
        return [stop]
    if isinstance(stop, list):
        return [str(s) for s in stop]
    return []


def tool_call(call_id: str, name: str, arguments: Any) -> JSON:
    return {
        "id": call_id,
        "type": "function",
        "function": {
            "name": name,
            "arguments": arguments
            if isinstance(arguments, str)
            else orjson.dumps(arguments).decode(),
        },
    }


def functions_of(request: JSON) -> list[JSON]:
    """The `function` of each function tool an OpenAI chat request offers."""
    return [
        t.get("function") or {} for t in request.get("tools") or [] if t.get("type") == "function"
    ]


def tool_use_block(call: JSON) -> JSON:
    """An OpenAI tool call as an Anthropic `tool_use` block."""
    function = call.get("function") or {}
    return {
        "type": "tool_use",
        "id": call.get("id", ""),
        "name": function.get("name", ""),
        "input": parse_json(function.get("arguments")),
    }


def content_parts(
    parts: list[Any], text: Callable[[str], JSON], image: Callable[[str], JSON | None]
) -> list[JSON]:
    """An OpenAI content list in a vendor's parts: `text` makes a text part, `image` an image
    part from the image's URL (None: the vendor cannot take it, so it is left out)."""
    made: list[JSON] = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        if part.get("type") == "text":
            made.append(text(str(part.get("text", ""))))
        elif part.get("type") == "image_url":
            block = image(str((part.get("image_url") or {}).get("url", "")))
            if block is not None:
                made.append(block)
    return made


def text_parts(content: Any, image: Callable[[str], JSON | None]) -> list[JSON]:
    """OpenAI message content as the `{"text": …}` parts Converse and Gemini take."""
    if not isinstance(content, list):
        return [{"text": text_of(content)}]
    return content_parts(content, lambda text: {"text": text}, image)


def append_turn(turns: list[JSON], role: str, parts: list[JSON], key: str) -> None:
    """Consecutive parts of one role share a turn (`key` holds the turn's parts)."""
    if turns and turns[-1]["role"] == role:
        turns[-1][key].extend(parts)
    else:
        turns.append({"role": role, key: parts})
