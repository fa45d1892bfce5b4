"""A fake OpenAI-compatible API: models, chat completions (plain, streamed, tool calls), embeddings.

Also stands in for OpenRouter (`/key`), Vercel AI Gateway (`/credits`) and Mistral; the Azure,
Ollama and Copilot fakes reuse its chat handlers.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer, bearer, count_tokens, fake_vector, json_response, sse

OPENAI_MODELS: list[dict[str, Any]] = [
    {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
    {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
    {
        "id": "text-embedding-3-small",
        "object": "model",
        "created": 1705948997,
        "owned_by": "system",
    },
]


def _last_user_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(
                    p.get("text", "") for p in content if isinstance(p, dict) and "text" in p
                )
    return ""


def reply_text(prompt: str) -> str:
    return f"fake reply to: {prompt}" if prompt else "fake reply"


def _tool_call(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = body.get("tools")
    if not isinstance(tools, list) or not tools or body.get("tool_choice") == "none":
        return None
    function = tools[0].get("function", {}) if isinstance(tools[0], dict) else {}
    return {
        "id": "call_fake_1",
        "type": "function",
        "function": {"name": function.get("name", "tool"), "arguments": '{"city": "Paris"}'},
    }


def chat_completion(body: dict[str, Any]) -> dict[str, Any]:
    prompt = _last_user_text(body.get("messages"))
    text = reply_text(prompt)
    call = _tool_call(body)
    message: dict[str, Any] = {"role": "assistant", "content": None if call else text}
    if call:
        message["tool_calls"] = [call]
    prompt_tokens, completion_tokens = count_tokens(prompt), count_tokens(text)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if call else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def chat_chunks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks of a streamed completion: role, content in pieces (or a tool call), finish."""
    full = chat_completion(body)
    base = {k: full[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    message, finish = full["choices"][0]["message"], full["choices"][0]["finish_reason"]

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

    chunks = [chunk({"role": "assistant", "content": ""})]
    if message.get("tool_calls"):
        call = message["tool_calls"][0]
        chunks.append(chunk({"tool_calls": [{"index": 0, **call}]}))
    else:
        for word in message["content"].split(" "):
            chunks.append(chunk({"content": word + " "}))
    chunks.append(chunk({}, finish))
    options = body.get("stream_options")
    if isinstance(options, dict) and options.get("include_usage"):
        chunks.append(base | {"choices": [], "usage": full["usage"]})
    return chunks


async def chat_handler(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    if not isinstance(body, dict) or "messages" not in body:
        return json_response(
            {"error": {"message": "messages is required", "type": "invalid_request_error"}},
            status=400,
        )
    if body.get("stream"):
        events: list[tuple[str | None, Any]] = [(None, c) for c in chat_chunks(body)]
        return await sse(request, [*events, (None, "[DONE]")])
    return json_response(chat_completion(body))


async def embeddings_handler(request: web.Request) -> web.Response:
    body = await request.json()
    raw = body.get("input") if isinstance(body, dict) else None
    inputs = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    tokens = sum(count_tokens(str(i)) for i in inputs)
    return json_response(
        {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": fake_vector(str(text))}
                for i, text in enumerate(inputs)
            ],
            "model": body.get("model", ""),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    )


class FakeOpenAI(FakeServer):
    """Bearer keys; `keys=None` accepts any request (a server without auth)."""

    def __init__(
        self,
        *,
        keys: set[str] | None = None,
        forbidden_keys: set[str] | None = None,
        models: list[dict[str, Any]] | None = None,
        prefix: str = "/v1",
        public_models: bool = False,
    ):
        super().__init__()
        self.keys = keys
        self.forbidden_keys = forbidden_keys or set()
        self.models = OPENAI_MODELS if models is None else models
        self.prefix = prefix
        # OpenRouter and Vercel list models to anyone, key or not.
        self.public_models = public_models

    @property
    def base_url(self) -> str:
        return self.url + self.prefix

    def refuse(self, request: web.Request) -> web.Response | None:
        """The auth failure for this request, or None when its key is accepted."""
        if self.keys is None:
            return None
        key = bearer(request)
        if key in self.forbidden_keys:
            return self.error(403, "insufficient_permissions", "This key may not use this resource")
        if key not in self.keys:
            # Deliberately echoes the key, as some upstreams do: aiport must scrub it.
            return self.error(401, "invalid_api_key", f"Incorrect API key provided: {key}")
        return None

    def routes(self, app: web.Application) -> None:
        p = self.prefix
        app.router.add_get(f"{p}/models", self.list_models)
        app.router.add_get(f"{p}/key", self.key_info)
        app.router.add_get(f"{p}/credits", self.credits)
        app.router.add_post(f"{p}/chat/completions", self.chat)
        app.router.add_post(f"{p}/embeddings", self.embeddings)

    async def list_models(self, request: web.Request) -> web.Response:
        if not self.public_models and (refused := self.refuse(request)):
            return refused
        return json_response({"object": "list", "data": self.models})

    async def key_info(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return json_response({"data": {"label": "fake", "usage": 0, "limit": None}})

    async def credits(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return json_response({"balance": "10.00", "total_used": "0.00"})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request):
            return refused
        return await chat_handler(request)

    async def embeddings(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return await embeddings_handler(request)
