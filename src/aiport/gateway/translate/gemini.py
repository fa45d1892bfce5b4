"""Google's Gemini `generateContent` protocol upstream."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiport.gateway.translate.base import (
    JSON,
    ChunkMaker,
    SseParser,
    append_turn,
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

FINISH_REASONS = {"STOP": "stop", "MAX_TOKENS": "length"}
# JSON Schema keywords Gemini's schema subset refuses.
_UNSUPPORTED_SCHEMA_KEYS = frozenset(
    {"$schema", "additionalProperties", "strict", "$id", "$ref", "$defs", "definitions"}
)


def clean_schema(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: clean_schema(v) for k, v in schema.items() if k not in _UNSUPPORTED_SCHEMA_KEYS}
    if isinstance(schema, list):
        return [clean_schema(v) for v in schema]
    return schema


def _image(url: str) -> JSON:
    inline = data_url(url)
    if inline:
        return {"inlineData": {"mimeType": inline[0], "data": inline[1]}}
    return {"fileData": {"fileUri": url}}


def openai_to_gemini(request: JSON) -> JSON:
    system: list[str] = []
    contents: list[JSON] = []
    names: dict[str, str] = {}
    for message in request.get("messages") or []:
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system.append(text_of(content))
        elif role == "user":
            append_turn(contents, "user", text_parts(content, _image), "parts")
        elif role == "assistant":
            parts: list[JSON] = []
            text = text_of(content)
            if text:
                parts.append({"text": text})
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                names[str(call.get("id", ""))] = str(function.get("name", ""))
                parts.append(
                    {
                        "functionCall": {
                            "name": function.get("name", ""),
                            "args": parse_json(function.get("arguments")),
                        }
                    }
                )
            append_turn(contents, "model", parts, "parts")
        elif role == "tool":
            result = (
                parse_json(text_of(content)) if text_of(content).startswith(("{", "[")) else None
            )
            response = (
                result
                if isinstance(result, dict) and "_raw" not in result
                else {"content": text_of(content)}
            )
            name = names.get(str(message.get("tool_call_id", "")), str(message.get("name", "")))
            append_turn(
                contents,
                "user",
                [{"functionResponse": {"name": name, "response": response}}],
                "parts",
            )
    body: JSON = {"contents": contents}
    if system:
        body["systemInstruction"] = {"parts": [{"text": "\n\n".join(system)}]}
    config: JSON = {}
    if request.get("temperature") is not None:
        config["temperature"] = request["temperature"]
    if request.get("top_p") is not None:
        config["topP"] = request["top_p"]
    limit = max_tokens_of(request)
    if limit:
        config["maxOutputTokens"] = limit
    stops = stop_list(request)
    if stops:
        config["stopSequences"] = stops
    if (request.get("response_format") or {}).get("type") in ("json_object", "json_schema"):
        config["responseMimeType"] = "application/json"
    if config:
        body["generationConfig"] = config
    tools = functions_of(request)
    if tools:
        declarations = []
        for f in tools:
            declaration: JSON = {"name": f.get("name", ""), "description": f.get("description", "")}
            if f.get("parameters"):
                declaration["parameters"] = clean_schema(f["parameters"])
            declarations.append(declaration)
        body["tools"] = [{"functionDeclarations": declarations}]
        choice = request.get("tool_choice")
        mode: JSON | None = None
        if choice == "required":
            mode = {"mode": "ANY"}
        elif choice == "none":
            mode = {"mode": "NONE"}
        elif isinstance(choice, dict):
            mode = {
                "mode": "ANY",
                "allowedFunctionNames": [str((choice.get("function") or {}).get("name", ""))],
            }
        if mode:
            body["toolConfig"] = {"functionCallingConfig": mode}
    return body


def _finish(reason: Any, has_calls: bool) -> str:
    if has_calls:
        return "tool_calls"
    return FINISH_REASONS.get(str(reason), "content_filter" if reason else "stop")


def _usage(body: JSON) -> tuple[int, int]:
    usage = body.get("usageMetadata") or {}
    return (
        int(usage.get("promptTokenCount") or 0),
        int(usage.get("candidatesTokenCount") or 0) + int(usage.get("thoughtsTokenCount") or 0),
    )


class GeminiStreamDecoder(ChunkMaker):
    def __init__(self, model: str):
        super().__init__(model)
        self._parser = SseParser()
        self._started = False
        self._calls = 0
        self._finish: Any = None
        self._usage = (0, 0)

    def feed(self, data: bytes) -> list[JSON]:
        out: list[JSON] = []
        for body in self._parser.feed_json(data):
            if "error" in body:
                error = body["error"] or {}
                out.append(
                    {
                        "error": {
                            "message": error.get("message", "upstream error"),
                            "type": "api_error",
                        }
                    }
                )
                continue
            if not self._started:
                self._started = True
                out.append(self.chunk({"role": "assistant", "content": ""}))
            if body.get("usageMetadata"):
                self._usage = _usage(body)
            for candidate in body.get("candidates") or []:
                for part in (candidate.get("content") or {}).get("parts") or []:
                    if part.get("thought"):
                        continue
                    if "text" in part:
                        out.append(self.chunk({"content": part["text"]}))
                    elif "functionCall" in part:
                        call = part["functionCall"]
                        index = self._calls
                        self._calls += 1
                        delta = tool_call(
                            str(call.get("id") or f"call_{index}"),
                            str(call.get("name", "")),
                            call.get("args") or {},
                        )
                        delta["index"] = index
                        out.append(self.chunk({"tool_calls": [delta]}))
                if candidate.get("finishReason"):
                    self._finish = candidate["finishReason"]
        return out

    def close(self) -> list[JSON]:
        return self.last_chunks(_finish(self._finish, self._calls > 0), *self._usage)


class GeminiCodec:
    def chat_path(self, model: str, stream: bool) -> str:
        name = quote(model.removeprefix("models/"), safe="")
        return (
            f"/models/{name}:streamGenerateContent?alt=sse"
            if stream
            else f"/models/{name}:generateContent"
        )

    def chat_request(self, request: JSON, model: str, stream: bool) -> JSON:  # noqa: ARG002
        return openai_to_gemini(request)

    def chat_response(self, body: JSON, model: str) -> JSON:
        candidates = body.get("candidates") or [{}]
        candidate = candidates[0]
        texts: list[str] = []
        calls: list[JSON] = []
        for part in (candidate.get("content") or {}).get("parts") or []:
            if part.get("thought"):
                continue
            if "text" in part:
                texts.append(str(part["text"]))
            elif "functionCall" in part:
                call = part["functionCall"]
                calls.append(
                    tool_call(
                        str(call.get("id") or f"call_{len(calls)}"),
                        str(call.get("name", "")),
                        call.get("args") or {},
                    )
                )
        prompt, completion_tokens = _usage(body)
        return completion(
            str(body.get("responseId") or completion_id()),
            str(body.get("modelVersion") or model),
            "".join(texts) if texts or not calls else None,
            calls,
            _finish(candidate.get("finishReason"), bool(calls)),
            prompt,
            completion_tokens,
        )

    def stream_decoder(self, model: str) -> GeminiStreamDecoder:
        return GeminiStreamDecoder(model)

    def embeddings(self, request: JSON, model: str) -> tuple[str, JSON]:
        """One input: `embedContent`; several: `batchEmbedContents`."""
        inputs = request.get("input")
        texts = [inputs] if isinstance(inputs, str) else [str(i) for i in inputs or []]
        name = model.removeprefix("models/")
        items: list[JSON] = [
            {"model": f"models/{name}", "content": {"parts": [{"text": t}]}} for t in texts
        ]
        if request.get("dimensions"):
            for item in items:
                item["outputDimensionality"] = request["dimensions"]
        path = f"/models/{quote(name, safe='')}"
        if len(items) == 1:
            return path + ":embedContent", items[0]
        return path + ":batchEmbedContents", {"requests": items}

    def embeddings_response(self, body: JSON, model: str) -> JSON:
        found = body.get("embeddings") or ([body["embedding"]] if "embedding" in body else [])
        return {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": e.get("values") or []}
                for i, e in enumerate(found)
            ],
            "model": model,
            "usage": {"prompt_tokens": 0, "total_tokens": 0},
        }
