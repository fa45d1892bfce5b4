"""A fake Gemini API: paged `/v1beta/models`, `generateContent`, `streamGenerateContent`,
`embedContent`. A wrong key gets Gemini's own 400 `API_KEY_INVALID`."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from tests.fakes.openai import reply_text
from tests.fakes.server import FakeServer, count_tokens, fake_vector, json_response, sse

GEMINI_MODELS: list[dict[str, Any]] = [
    {
        "name": "models/gemini-2.0-flash",
        "version": "2.0",
        "displayName": "Gemini 2.0 Flash",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 8192,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
    },
    {
        "name": "models/gemini-1.5-pro",
        "version": "001",
        "displayName": "Gemini 1.5 Pro",
        "inputTokenLimit": 2000000,
        "outputTokenLimit": 8192,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
    },
    {
        "name": "models/text-embedding-004",
        "version": "004",
        "displayName": "Text Embedding 004",
        "inputTokenLimit": 2048,
        "outputTokenLimit": 1,
        "supportedGenerationMethods": ["embedContent"],
    },
]

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
}


def _prompt(body: dict[str, Any]) -> str:
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        return ""
    parts = contents[-1].get("parts", []) if isinstance(contents[-1], dict) else []
    return " ".join(p.get("text", "") for p in parts if isinstance(p, dict))


def generate_response(body: dict[str, Any], model: str) -> dict[str, Any]:
    prompt = _prompt(body)
    text = reply_text(prompt)
    declarations = [
        d
        for tool in body.get("tools") or []
        if isinstance(tool, dict)
        for d in tool.get("functionDeclarations") or []
    ]
    parts: list[dict[str, Any]] = (
        [{"functionCall": {"name": declarations[0].get("name", "tool"), "args": {"city": "Paris"}}}]
        if declarations
        else [{"text": text}]
    )
    prompt_tokens, output_tokens = count_tokens(prompt), count_tokens(text)
    return {
        "candidates": [
            {"content": {"parts": parts, "role": "model"}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": model,
    }


def stream_chunks(body: dict[str, Any], model: str) -> list[dict[str, Any]]:
    full = generate_response(body, model)
    parts = full["candidates"][0]["content"]["parts"]
    if "text" not in parts[0]:
        return [full]
    words = parts[0]["text"].split(" ")
    chunks = []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        candidate: dict[str, Any] = {
            "content": {"parts": [{"text": word + ("" if last else " ")}], "role": "model"},
            "index": 0,
        }
        if last:
            candidate["finishReason"] = "STOP"
        chunk: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
        if last:
            chunk["usageMetadata"] = full["usageMetadata"]
        chunks.append(chunk)
    return chunks


class FakeGemini(FakeServer):
    def __init__(
        self,
        *,
        keys: set[str],
        forbidden_keys: set[str] | None = None,
        models: list[dict[str, Any]] | None = None,
        page_size: int = 1000,
    ):
        super().__init__()
        self.keys = keys
        self.forbidden_keys = forbidden_keys or set()
        self.models = GEMINI_MODELS if models is None else models
        self.page_size = page_size

    @property
    def base_url(self) -> str:
        return self.url

    def error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        error: dict[str, Any] = {
            "code": status,
            "message": message,
            "status": _STATUS_NAMES.get(status, "UNKNOWN"),
        }
        if code.isupper():
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": code,
                    "domain": "googleapis.com",
                }
            ]
        return json_response({"error": error}, status=status, headers=headers)

    def refuse(self, request: web.Request) -> web.Response | None:
        key = request.headers.get("x-goog-api-key") or request.query.get("key", "")
        if key in self.forbidden_keys:
            return self.error(
                403,
                "API_KEY_SERVICE_BLOCKED",
                "Requests to this API generativelanguage.googleapis.com are blocked.",
            )
        if key not in self.keys:
            return self.error(
                400, "API_KEY_INVALID", "API key not valid. Please pass a valid API key."
            )
        return None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1beta/models", self.list_models)
        app.router.add_post("/v1beta/models/{model_action}", self.model_action)

    async def list_models(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        size = min(int(request.query.get("pageSize", "50")), self.page_size)
        start = int(request.query.get("pageToken") or 0)
        body: dict[str, Any] = {"models": self.models[start : start + size]}
        if start + size < len(self.models):
            body["nextPageToken"] = str(start + size)
        return json_response(body)

    async def model_action(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request):
            return refused
        model, _, action = request.match_info["model_action"].partition(":")
        body = await request.json()
        if action == "generateContent":
            return json_response(generate_response(body, model))
        if action == "streamGenerateContent":
            chunks = stream_chunks(body, model)
            if request.query.get("alt") == "sse":
                return await sse(request, [(None, c) for c in chunks])
            return web.Response(body=orjson.dumps(chunks), content_type="application/json")
        if action == "embedContent":
            parts = body.get("content", {}).get("parts", [])
            text = " ".join(p.get("text", "") for p in parts if isinstance(p, dict))
            return json_response({"embedding": {"values": fake_vector(text)}})
        return self.error(404, "NOT_FOUND", f"unknown method {action}")
