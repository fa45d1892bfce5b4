"""A fake Ollama: `/api/tags`, `/api/version`, `/api/chat` (NDJSON stream) and its OpenAI `/v1`."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from tests.fakes.openai import FakeOpenAI, reply_text
from tests.fakes.server import count_tokens, json_response

OLLAMA_TAGS: list[dict[str, Any]] = [
    {
        "name": "llama3.2:latest",
        "model": "llama3.2:latest",
        "modified_at": "2025-01-10T10:00:00Z",
        "size": 2019393189,
        "digest": "a80c4f17acd5",
        "details": {"format": "gguf", "family": "llama", "parameter_size": "3.2B"},
    },
    {
        "name": "qwen2.5-coder:7b",
        "model": "qwen2.5-coder:7b",
        "modified_at": "2025-01-09T10:00:00Z",
        "size": 4683087332,
        "digest": "2b0496514337",
        "details": {"format": "gguf", "family": "qwen2", "parameter_size": "7.6B"},
    },
]


class FakeOllama(FakeOpenAI):
    """No key by default; pass `keys` to play an Ollama behind an authenticating proxy."""

    def __init__(self, *, keys: set[str] | None = None):
        super().__init__(
            keys=keys,
            models=[
                {"id": t["name"], "object": "model", "created": 0, "owned_by": "library"}
                for t in OLLAMA_TAGS
            ],
        )
        self.tags = OLLAMA_TAGS

    def routes(self, app: web.Application) -> None:
        super().routes(app)
        app.router.add_get("/api/tags", self.api_tags)
        app.router.add_get("/api/version", self.api_version)
        app.router.add_post("/api/chat", self.api_chat)

    async def api_tags(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return json_response({"models": self.tags})

    async def api_version(self, request: web.Request) -> web.Response:
        del request
        return json_response({"version": "0.5.4"})

    async def api_chat(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request):
            return refused
        body = await request.json()
        messages = body.get("messages") or []
        prompt = str(messages[-1].get("content", "")) if messages else ""
        text = reply_text(prompt)
        model = body.get("model", "")
        done: dict[str, Any] = {
            "model": model,
            "created_at": "2025-01-10T10:00:00Z",
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": count_tokens(prompt),
            "eval_count": count_tokens(text),
        }
        if body.get("stream", True) is False:
            return json_response(done | {"message": {"role": "assistant", "content": text}})
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await response.prepare(request)
        for word in text.split(" "):
            line = {
                "model": model,
                "created_at": "2025-01-10T10:00:00Z",
                "message": {"role": "assistant", "content": word + " "},
                "done": False,
            }
            await response.write(orjson.dumps(line) + b"\n")
        await response.write(
            orjson.dumps(done | {"message": {"role": "assistant", "content": ""}}) + b"\n"
        )
        await response.write_eof()
        return response
