"""Amazon Bedrock's Converse protocol upstream (ConverseStream frames are AWS event streams)."""

from __future__ import annotations

from urllib.parse import quote

import orjson
from botocore.eventstream import EventStreamBuffer, ParserError

from aiport.gateway.errors import OperationNotSupported
from aiport.gateway.translate.base import (
    JSON,
    ChunkMaker,
    append_turn,
    chunk,
    completion,
    completion_id,
    data_url,
    functions_of,
    max_tokens_of,
    parse_json,
    stop_list,
    text_of,
    text_parts,
    tool_call,
)

FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "guardrail_intervened": "content_filter",
    "content_filtered": "content_filter",
}


def _image(url: str) -> JSON | None:
    """Converse takes inline images only."""
    inline = data_url(url)
    if not inline:
        return None
    image_format = inline[0].rpartition("/")[2] or "png"
    return {"image": {"format": image_format, "source": {"bytes": inline[1]}}}


def openai_to_converse(request: JSON) -> JSON:
    system: list[JSON] = []
    messages: list[JSON] = []
    for message in request.get("messages") or []:
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system.append({"text": text_of(content)})
        elif role == "user":
            append_turn(messages, "user", text_parts(content, _image), "content")
        elif role == "assistant":
            blocks: list[JSON] = []
            text = text_of(content)
            if text:
                blocks.append({"text": text})
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                blocks.append(
                    {
                        "toolUse": {
                            "toolUseId": call.get("id", ""),
                            "name": function.get("name", ""),
                            "input": parse_json(function.get("arguments")),
                        }
                    }
                )
            append_turn(messages, "assistant", blocks, "content")
        elif role == "tool":
            result = {
                "toolUseId": message.get("tool_call_id", ""),
                "content": [{"text": text_of(content)}],
            }
            append_turn(messages, "user", [{"toolResult": result}], "content")
    body: JSON = {"messages": messages}
    if system:
        body["system"] = system
    config: JSON = {}
    limit = max_tokens_of(request)
    if limit:
        config["maxTokens"] = limit
    if request.get("temperature") is not None:
        config["temperature"] = request["temperature"]
    if request.get("top_p") is not None:
        config["topP"] = request["top_p"]
    stops = stop_list(request)
    if stops:
        config["stopSequences"] = stops
    if config:
        body["inferenceConfig"] = config
    tools = functions_of(request)
    if tools:
        tool_config: JSON = {
            "tools": [
                {
                    "toolSpec": {
                        "name": f.get("name", ""),
                        "description": f.get("description", "") or f.get("name", ""),
                        "inputSchema": {
                            "json": f.get("parameters") or {"type": "object", "properties": {}}
                        },
                    }
                }
                for f in tools
            ]
        }
        choice = request.get("tool_choice")
        if choice == "required":
            tool_config["toolChoice"] = {"any": {}}
        elif isinstance(choice, dict):
            tool_config["toolChoice"] = {
                "tool": {"name": str((choice.get("function") or {}).get("name", ""))}
            }
        elif choice == "auto":
            tool_config["toolChoice"] = {"auto": {}}
        body["toolConfig"] = tool_config
    return body


class ConverseStreamDecoder(ChunkMaker):
    """AWS event-stream frames of ConverseStream → OpenAI chunks."""

    def __init__(self, model: str):
        super().__init__(model)
        self._buffer = EventStreamBuffer()
        self._tools: dict[int, int] = {}
        self._finish = "stop"
        self._usage = (0, 0)

    def feed(self, data: bytes) -> list[JSON]:
        self._buffer.add_data(data)
        out: list[JSON] = []
        try:
            for message in self._buffer:
                headers = message.headers
                try:
                    payload = orjson.loads(message.payload) if message.payload else {}
                except orjson.JSONDecodeError:
                    payload = {}
                if headers.get(":message-type") != "event":
                    kind = (
                        headers.get(":exception-type") or headers.get(":error-code") or "api_error"
                    )
                    out.append(
                        {"error": {"message": payload.get("message", str(kind)), "type": str(kind)}}
                    )
                    continue
                out.extend(self._event(str(headers.get(":event-type", "")), payload))
        except ParserError:
            out.append(
                {"error": {"message": "malformed event stream from Bedrock", "type": "api_error"}}
            )
        return out

    def _event(self, kind: str, payload: JSON) -> list[JSON]:
        if kind == "messageStart":
            return [self.chunk({"role": "assistant", "content": ""})]
        if kind == "contentBlockStart":
            start = (payload.get("start") or {}).get("toolUse")
            if start:
                index = len(self._tools)
                self._tools[int(payload.get("contentBlockIndex", 0))] = index
                delta = tool_call(str(start.get("toolUseId", "")), str(start.get("name", "")), "")
                delta["index"] = index
                return [self.chunk({"tool_calls": [delta]})]
            return []
        if kind == "contentBlockDelta":
            delta = payload.get("delta") or {}
            if "text" in delta:
                return [self.chunk({"content": delta["text"]})]
            if "toolUse" in delta:
                index = self._tools.get(int(payload.get("contentBlockIndex", 0)), 0)
                arguments = str((delta["toolUse"] or {}).get("input", ""))
                return [
                    chunk(
                        self.id,
                        self.model,
                        self.created,
                        {"tool_calls": [{"index": index, "function": {"arguments": arguments}}]},
                    )
                ]
            return []
        if kind == "messageStop":
            self._finish = FINISH_REASONS.get(str(payload.get("stopReason")), "stop")
            return []
        if kind == "metadata":
            usage = payload.get("usage") or {}
            self._usage = (int(usage.get("inputTokens") or 0), int(usage.get("outputTokens") or 0))
        return []

    def close(self) -> list[JSON]:
        return self.last_chunks(self._finish, *self._usage)


class BedrockCodec:
    def chat_path(self, model: str, stream: bool) -> str:
        return f"/model/{quote(model, safe='')}/" + ("converse-stream" if stream else "converse")

    def chat_request(self, request: JSON, model: str, stream: bool) -> JSON:  # noqa: ARG002
        return openai_to_converse(request)

    def chat_response(self, body: JSON, model: str) -> JSON:
        content = ((body.get("output") or {}).get("message") or {}).get("content") or []
        texts: list[str] = []
        calls: list[JSON] = []
        for block in content:
            if "text" in block:
                texts.append(str(block["text"]))
            elif "toolUse" in block:
                use = block["toolUse"] or {}
                calls.append(
                    tool_call(
                        str(use.get("toolUseId", "")),
                        str(use.get("name", "")),
                        use.get("input") or {},
                    )
                )
        usage = body.get("usage") or {}
        return completion(
            completion_id(),
            model,
            "".join(texts) if texts or not calls else None,
            calls,
            FINISH_REASONS.get(str(body.get("stopReason")), "stop"),
            int(usage.get("inputTokens") or 0),
            int(usage.get("outputTokens") or 0),
        )

    def stream_decoder(self, model: str) -> ConverseStreamDecoder:
        return ConverseStreamDecoder(model)

    def embeddings(self, request: JSON, model: str) -> tuple[str, JSON]:  # noqa: ARG002
        raise OperationNotSupported("embeddings through Bedrock are not supported yet")

    def embeddings_response(self, body: JSON, model: str) -> JSON:  # noqa: ARG002
        raise OperationNotSupported("embeddings through Bedrock are not supported yet")
