"""A fake Anthropic API: paged `/v1/models` and `/v1/messages` (plain, streamed, tool use)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.openai import reply_text
from tests.fakes.server import FakeServer, bearer, count_tokens, json_response, sse

ANTHROPIC_MODELS: list[dict[str, Any]] = [
    {
        "type": "model",
        "id": "claude-sonnet-4-20250514",
        "display_name": "Claude Sonnet 4",
        "created_at": "2025-05-22T00:00:00Z",
    },
    {
        "type": "model",
        "id": "claude-3-5-haiku-20241022",
        "display_name": "Claude Haiku 3.5",
        "created_at": "2024-10-22T00:00:00Z",
    },
    {
        "type": "model",
        "id": "claude-3-opus-20240229",
        "display_name": "Claude Opus 3",
        "created_at": "2024-02-29T00:00:00Z",
    },
]


def _prompt(messages: Any) -> str:
    if not isinstance(messages, list) or not messages:
        return ""
    content = messages[-1].get("content") if isinstance(messages[-1], dict) else ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


def message_response(body: dict[str, Any]) -> dict[str, Any]:
    prompt = _prompt(body.get("messages"))
    text = reply_text(prompt)
    tools = body.get("tools")
    content: list[dict[str, Any]]
    if isinstance(tools, list) and tools:
        content = [
            {
                "type": "tool_use",
                "id": "toolu_fake_1",
                "name": tools[0].get("name", "tool"),
                "input": {"city": "Paris"},
            }
        ]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": text}]
        stop = "end_turn"
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", ""),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": count_tokens(prompt), "output_tokens": count_tokens(text)},
    }


def message_events(body: dict[str, Any]) -> list[tuple[str | None, Any]]:
    """The event stream of a streamed message, in Anthropic's order."""
    full = message_response(body)
    start = full | {
        "content": [],
        "stop_reason": None,
        "usage": full["usage"] | {"output_tokens": 1},
    }
    events: list[tuple[str | None, Any]] = [
        ("message_start", {"type": "message_start", "message": start})
    ]
    block = full["content"][0]
    if block["type"] == "tool_use":
        events.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": block | {"input": {}}},
            )
        )
        events.append(
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "input_json_delta", "partial_json": '{"city": "Paris"}'},
                },
            )
        )
    else:
        events.append(
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            )
        )
        events.append(("ping", {"type": "ping"}))
        for word in block["text"].split(" "):
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "text_delta", "text": word + " "},
                    },
                )
            )
    events.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": full["stop_reason"], "stop_sequence": None},
                "usage": {"output_tokens": full["usage"]["output_tokens"]},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


class FakeAnthropic(FakeServer):
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
        self.models = ANTHROPIC_MODELS if models is None else models
        # Anthropic pages with `limit` and `after_id`; a small page size tests the paging.
        self.page_size = page_size

    @property
    def base_url(self) -> str:
        return self.url

    def error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        kind = {429: "rate_limit_error", 500: "api_error"}.get(status, code)
        return json_response(
            {"type": "error", "error": {"type": kind, "message": message}},
            status=status,
            headers=headers,
        )

    def refuse(self, request: web.Request) -> web.Response | None:
        if not request.headers.get("anthropic-version"):
            return self.error(400, "invalid_request_error", "anthropic-version header is required")
        # Newer Anthropic SDKs send the API key as a Bearer token; the API takes both.
        key = request.headers.get("x-api-key") or bearer(request)
        if key in self.forbidden_keys:
            return self.error(
                403,
                "permission_error",
                "Your API key does not have permission to use this resource",
            )
        if key not in self.keys:
            return self.error(401, "authentication_error", "invalid x-api-key")
        return None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/models", self.list_models)
        app.router.add_post("/v1/messages", self.messages)

    async def list_models(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        limit = min(int(request.query.get("limit", "20")), self.page_size)
        after = request.query.get("after_id")
        ids = [m["id"] for m in self.models]
        start = ids.index(after) + 1 if after in ids else 0
        page = self.models[start : start + limit]
        return json_response(
            {
                "data": page,
                "has_more": start + limit < len(self.models),
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
            }
        )

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request):
            return refused
        body = await request.json()
        if not isinstance(body, dict) or not body.get("max_tokens"):
            return self.error(400, "invalid_request_error", "max_tokens: Field required")
        if body.get("stream"):
            return await sse(request, message_events(body))
        return json_response(message_response(body))
