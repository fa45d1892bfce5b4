"""The Anthropic-compatible surface over any codec: Anthropic ⇄ OpenAI's chat format."""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from aiport.gateway.translate.base import JSON, sse, tool_use_block

STOP_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(b.get("text", ""))
            for b in content
            if isinstance(b, dict) and b.get("type") == "text"
        )
    return ""


def _image_part(block: JSON) -> JSON:
    source = block.get("source") or {}
    if source.get("type") == "base64":
        url = f"data:{source.get('media_type', 'image/png')};base64,{source.get('data', '')}"
    else:
        url = str(source.get("url", ""))
    return {"type": "image_url", "image_url": {"url": url}}


def anthropic_to_openai_request(request: JSON, model: str) -> JSON:
    messages: list[JSON] = []
    system = request.get("system")
    if system:
        messages.append({"role": "system", "content": _text(system)})
    for message in request.get("messages") or []:
        role = message.get("role")
        content = message.get("content")
        if isinstance(content, str):
            messages.append({"role": role, "content": content})
            continue
        blocks = [b for b in content or [] if isinstance(b, dict)]
        if role == "assistant":
            text = "".join(str(b.get("text", "")) for b in blocks if b.get("type") == "text")
            calls = [
                {
                    "id": b.get("id", ""),
                    "type": "function",
                    "function": {
                        "name": b.get("name", ""),
                        "arguments": _dumps(b.get("input") or {}),
                    },
                }
                for b in blocks
                if b.get("type") == "tool_use"
            ]
            out: JSON = {"role": "assistant", "content": text or None}
            if calls:
                out["tool_calls"] = calls
            messages.append(out)
            continue
        # A user turn: tool results become tool messages, ahead of the rest of the turn.
        parts: list[JSON] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "tool_result":
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": block.get("tool_use_id", ""),
                        "content": _text(block.get("content")),
                    }
                )
            elif kind == "text":
                parts.append({"type": "text", "text": str(block.get("text", ""))})
            elif kind == "image":
                parts.append(_image_part(block))
        if parts:
            only_text = all(p["type"] == "text" for p in parts)
            messages.append(
                {
                    "role": "user",
                    "content": "".join(p["text"] for p in parts) if only_text else parts,
                }
            )
    body: JSON = {"model": model, "messages": messages}
    if request.get("max_tokens") is not None:
        body["max_tokens"] = request["max_tokens"]
    for name in ("temperature", "top_p"):
        if request.get(name) is not None:
            body[name] = request[name]
    if request.get("stop_sequences"):
        body["stop"] = request["stop_sequences"]
    if request.get("stream"):
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    tools = request.get("tools") or []
    if tools:
        body["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": t.get("name", ""),
                    "description": t.get("description", ""),
                    "parameters": t.get("input_schema") or {"type": "object", "properties": {}},
                },
            }
            for t in tools
            if isinstance(t, dict) and t.get("name")
        ]
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and tools:
        kind = choice.get("type")
        if kind == "any":
            body["tool_choice"] = "required"
        elif kind == "tool":
            body["tool_choice"] = {"type": "function", "function": {"name": choice.get("name", "")}}
        elif kind in ("auto", "none"):
            body["tool_choice"] = kind
        if choice.get("disable_parallel_tool_use"):
            body["parallel_tool_calls"] = False
    user = (request.get("metadata") or {}).get("user_id")
    if user:
        body["user"] = str(user)
    return body


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def message_id() -> str:
    return "msg_" + uuid.uuid4().hex[:24]


def openai_to_anthropic_response(body: JSON, model: str) -> JSON:
    choices = body.get("choices") or [{}]
    choice = choices[0]
    message = choice.get("message") or {}
    content: list[JSON] = []
    if message.get("content"):
        content.append({"type": "text", "text": str(message["content"])})
    content.extend(tool_use_block(call) for call in message.get("tool_calls") or [])
    usage = body.get("usage") or {}
    return {
        "id": message_id(),
        "type": "message",
        "role": "assistant",
        "model": str(body.get("model") or model),
        "content": content,
        "stop_reason": STOP_REASONS.get(str(choice.get("finish_reason")), "end_turn"),
        "stop_sequence": None,
        "usage": {
            "input_tokens": int(usage.get("prompt_tokens") or 0),
            "output_tokens": int(usage.get("completion_tokens") or 0),
        },
    }


class AnthropicStreamEncoder:
    """OpenAI chunks → Anthropic stream events, opening and closing content blocks as needed."""

    def __init__(self, model: str):
        self.model = model
        self._started = False
        self._block = -1
        self._block_kind = ""
        self._tool_blocks: dict[int, int] = {}
        self._stop = "end_turn"
        self._input = 0
        self._output = 0

    def feed(self, chunk: JSON) -> bytes:
        out = bytearray()
        if not self._started:
            self._started = True
            self.model = str(chunk.get("model") or self.model)
            out += sse(
                {
                    "type": "message_start",
                    "message": {
                        "id": message_id(),
                        "type": "message",
                        "role": "assistant",
                        "model": self.model,
                        "content": [],
                        "stop_reason": None,
                        "stop_sequence": None,
                        "usage": {"input_tokens": 0, "output_tokens": 0},
                    },
                },
                "message_start",
            )
        if "error" in chunk:
            error = chunk["error"] or {}
            out += sse(
                {
                    "type": "error",
                    "error": {
                        "type": error.get("type", "api_error"),
                        "message": error.get("message", ""),
                    },
                },
                "error",
            )
            return bytes(out)
        usage = chunk.get("usage")
        if usage:
            self._input = int(usage.get("prompt_tokens") or 0)
            self._output = int(usage.get("completion_tokens") or 0)
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            text = delta.get("content")
            if text:
                if self._block_kind != "text":
                    out += self._open({"type": "text", "text": ""}, "text")
                out += sse(
                    {
                        "type": "content_block_delta",
                        "index": self._block,
                        "delta": {"type": "text_delta", "text": text},
                    },
                    "content_block_delta",
                )
            for call in delta.get("tool_calls") or []:
                index = int(call.get("index", 0))
                function = call.get("function") or {}
                if index not in self._tool_blocks:
                    out += self._open(
                        {
                            "type": "tool_use",
                            "id": call.get("id") or f"toolu_{index}",
                            "name": function.get("name", ""),
                            "input": {},
                        },
                        "tool",
                    )
                    self._tool_blocks[index] = self._block
                arguments = function.get("arguments")
                if arguments:
                    out += sse(
                        {
                            "type": "content_block_delta",
                            "index": self._tool_blocks[index],
                            "delta": {"type": "input_json_delta", "partial_json": arguments},
                        },
                        "content_block_delta",
                    )
            if choice.get("finish_reason"):
                self._stop = STOP_REASONS.get(str(choice["finish_reason"]), "end_turn")
        return bytes(out)

    def _open(self, block: JSON, kind: str) -> bytes:
        out = self._close_block()
        self._block += 1
        self._block_kind = kind
        return out + sse(
            {"type": "content_block_start", "index": self._block, "content_block": block},
            "content_block_start",
        )

    def _close_block(self) -> bytes:
        if not self._block_kind:
            return b""
        self._block_kind = ""
        return sse({"type": "content_block_stop", "index": self._block}, "content_block_stop")

    def close(self) -> bytes:
        out = bytearray()
        if not self._started:
            out += self.feed({})
        out += self._close_block()
        out += sse(
            {
                "type": "message_delta",
                "delta": {"stop_reason": self._stop, "stop_sequence": None},
                "usage": {"input_tokens": self._input, "output_tokens": self._output},
            },
            "message_delta",
        )
        out += sse({"type": "message_stop"}, "message_stop")
        return bytes(out)

    @property
    def usage(self) -> tuple[int, int]:
        return self._input, self._output
