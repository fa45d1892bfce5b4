"""Anthropic's Messages protocol upstream, for callers that speak OpenAI's chat format."""

from __future__ import annotations

from typing import Any

from aiport.gateway.errors import OperationNotSupported
from aiport.gateway.translate.base import (
    JSON,
    ChunkMaker,
    SseParser,
    completion,
    completion_id,
    content_parts,
    data_url,
    functions_of,
    max_tokens_of,
    stop_list,
    text_of,
    tool_call,
    tool_use_block,
)

DEFAULT_MAX_TOKENS = 4096
FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def _image(url: str) -> JSON:
    inline = data_url(url)
    source = (
        {"type": "base64", "media_type": inline[0], "data": inline[1]}
        if inline
        else {"type": "url", "url": url}
    )
    return {"type": "image", "source": source}


def _user_blocks(content: Any) -> Any:
    if not isinstance(content, list):
        return text_of(content)
    return content_parts(content, lambda text: {"type": "text", "text": text}, _image)


def _append(messages: list[JSON], role: str, blocks: list[JSON]) -> None:
    """Anthropic wants user/assistant turns; consecutive blocks of one role share a turn."""
    if messages and messages[-1]["role"] == role:
        previous = messages[-1]["content"]
        if isinstance(previous, str):
            previous = [{"type": "text", "text": previous}] if previous else []
        messages[-1]["content"] = previous + blocks
    else:
        messages.append({"role": role, "content": blocks})


def openai_to_anthropic(request: JSON, model: str, stream: bool) -> JSON:
    system: list[str] = []
    messages: list[JSON] = []
    for message in request.get("messages") or []:
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system.append(text_of(content))
        elif role == "user":
            blocks = _user_blocks(content)
            _append(
                messages,
                "user",
                [{"type": "text", "text": blocks}] if isinstance(blocks, str) else blocks,
            )
        elif role == "assistant":
            blocks = []
            text = text_of(content)
            if text:
                blocks.append({"type": "text", "text": text})
            blocks.extend(tool_use_block(call) for call in message.get("tool_calls") or [])
            _append(messages, "assistant", blocks)
        elif role == "tool":
            result = {
                "type": "tool_result",
                "tool_use_id": message.get("tool_call_id", ""),
                "content": text_of(content),
            }
            _append(messages, "user", [result])
    body: JSON = {
        "model": model,
        "messages": messages,
        "max_tokens": max_tokens_of(request) or DEFAULT_MAX_TOKENS,
    }
    if system:
        body["system"] = "\n\n".join(system)
    for name in ("temperature", "top_p"):
        if request.get(name) is not None:
            body[name] = request[name]
    stops = stop_list(request)
    if stops:
        body["stop_sequences"] = stops
    if stream:
        body["stream"] = True
    tools = functions_of(request)
    if tools:
        body["tools"] = [
            {
                "name": f.get("name", ""),
                "description": f.get("description", ""),
                "input_schema": f.get("parameters") or {"type": "object", "properties": {}},
            }
            for f in tools
        ]
    choice = _tool_choice(request.get("tool_choice"))
    if request.get("parallel_tool_calls") is False and choice is not None:
        choice["disable_parallel_tool_use"] = True
    if choice is not None and tools:
        body["tool_choice"] = choice
    if request.get("user"):
        body["metadata"] = {"user_id": str(request["user"])}
    return body


def _tool_choice(choice: Any) -> JSON | None:
    if choice == "auto" or choice is None:
        return {"type": "auto"}
    if choice == "required":
        return {"type": "any"}
    if choice == "none":
        return {"type": "none"}
    if isinstance(choice, dict):
        return {"type": "tool", "name": str((choice.get("function") or {}).get("name", ""))}
    return None


def anthropic_to_openai_response(body: JSON, model: str) -> JSON:
    texts: list[str] = []
    calls: list[JSON] = []
    for block in body.get("content") or []:
        if block.get("type") == "text":
            texts.append(str(block.get("text", "")))
        elif block.get("type") == "tool_use":
            calls.append(
                tool_call(
                    str(block.get("id", "")), str(block.get("name", "")), block.get("input") or {}
                )
            )
    usage = body.get("usage") or {}
    return completion(
        str(body.get("id") or completion_id()),
        str(body.get("model") or model),
        "".join(texts) if texts or not calls else None,
        calls,
        FINISH_REASONS.get(str(body.get("stop_reason")), "stop"),
        _input_tokens(usage),
        int(usage.get("output_tokens") or 0),
    )


def _input_tokens(usage: JSON) -> int:
    return (
        int(usage.get("input_tokens") or 0)
        + int(usage.get("cache_read_input_tokens") or 0)
        + int(usage.get("cache_creation_input_tokens") or 0)
    )


class AnthropicStreamDecoder(ChunkMaker):
    """Anthropic stream events → OpenAI chunks (tool calls indexed as OpenAI counts them)."""

    def __init__(self, model: str):
        super().__init__(model)
        self._parser = SseParser()
        self._tools: dict[int, int] = {}
        self._finish = "stop"
        self._input = 0
        self._output = 0

    def feed(self, data: bytes) -> list[JSON]:
        out: list[JSON] = []
        for event in self._parser.feed_json(data):
            out.extend(self._event(event))
        return out

    def _event(self, event: JSON) -> list[JSON]:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            self.id = str(message.get("id") or self.id)
            self.model = str(message.get("model") or self.model)
            usage = message.get("usage") or {}
            self._input = _input_tokens(usage)
            self._output = int(usage.get("output_tokens") or 0)
            return [self.chunk({"role": "assistant", "content": ""})]
        if kind == "content_block_start":
            block = event.get("content_block") or {}
            if block.get("type") == "tool_use":
                index = len(self._tools)
                self._tools[int(event.get("index", 0))] = index
                return [
                    self.chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": index,
                                    "id": block.get("id", ""),
                                    "type": "function",
                                    "function": {"name": block.get("name", ""), "arguments": ""},
                                }
                            ]
                        }
                    )
                ]
            if block.get("type") == "text" and block.get("text"):
                return [self.chunk({"content": block["text"]})]
            return []
        if kind == "content_block_delta":
            delta = event.get("delta") or {}
            if delta.get("type") == "text_delta":
                return [self.chunk({"content": delta.get("text", "")})]
            if delta.get("type") == "input_json_delta":
                index = self._tools.get(int(event.get("index", 0)), 0)
                return [
                    self.chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": index,
                                    "function": {"arguments": delta.get("partial_json", "")},
                                }
                            ]
                        }
                    )
                ]
            return []
        if kind == "message_delta":
            reason = (event.get("delta") or {}).get("stop_reason")
            if reason:
                self._finish = FINISH_REASONS.get(str(reason), "stop")
            usage = event.get("usage") or {}
            self._output = int(usage.get("output_tokens") or self._output)
            if usage.get("input_tokens"):
                self._input = _input_tokens(usage)
            return []
        if kind == "error":
            error = event.get("error") or {}
            return [
                {
                    "error": {
                        "message": error.get("message", "upstream error"),
                        "type": error.get("type", "api_error"),
                    }
                }
            ]
        return []

    def _chunk(self, delta: JSON, finish: str | None = None) -> JSON:
        return self.chunk(delta, finish)

    def close(self) -> list[JSON]:
        return self.last_chunks(self._finish, self._input, self._output)


class AnthropicCodec:
    def chat_path(self, model: str, stream: bool) -> str:  # noqa: ARG002
        return "/v1/messages"

    def chat_request(self, request: JSON, model: str, stream: bool) -> JSON:
        return openai_to_anthropic(request, model, stream)

    def chat_response(self, body: JSON, model: str) -> JSON:
        return anthropic_to_openai_response(body, model)

    def stream_decoder(self, model: str) -> AnthropicStreamDecoder:
        return AnthropicStreamDecoder(model)

    def embeddings(self, request: JSON, model: str) -> tuple[str, JSON]:  # noqa: ARG002
        raise OperationNotSupported("Anthropic has no embeddings API")

    def embeddings_response(self, body: JSON, model: str) -> JSON:  # noqa: ARG002
        raise OperationNotSupported("Anthropic has no embeddings API")
