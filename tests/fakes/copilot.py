"""A fake GitHub Copilot: the GitHub token exchange and the Copilot API (OpenAI wire) on one
server. Copilot tokens expire after `token_lifetime` seconds and can be revoked."""

from __future__ import annotations

import time
import uuid
from typing import Any

from aiohttp import web

from tests.fakes.openai import chat_handler, embeddings_handler
from tests.fakes.server import FakeServer, bearer, json_response

COPILOT_MODELS: list[dict[str, Any]] = [
    {
        "id": "gpt-4o",
        "name": "GPT-4o",
        "object": "model",
        "vendor": "Azure OpenAI",
        "version": "gpt-4o-2024-11-20",
        "model_picker_enabled": True,
        "capabilities": {"type": "chat", "limits": {"max_context_window_tokens": 128000}},
    },
    {
        "id": "claude-3.5-sonnet",
        "name": "Claude 3.5 Sonnet",
        "object": "model",
        "vendor": "Anthropic",
        "version": "claude-3.5-sonnet",
        "model_picker_enabled": True,
        "capabilities": {"type": "chat", "limits": {"max_context_window_tokens": 90000}},
    },
]

TOKEN_PATH = "/copilot_internal/v2/token"


class FakeCopilot(FakeServer):
    def __init__(
        self,
        *,
        github_tokens: set[str],
        no_copilot_tokens: set[str] | None = None,
        token_lifetime: float = 1800,
    ):
        super().__init__()
        self.github_tokens = github_tokens
        # GitHub accounts without a Copilot seat: GitHub answers their exchange with 404.
        self.no_copilot_tokens = no_copilot_tokens or set()
        self.token_lifetime = token_lifetime
        # Copilot token → its expiry (epoch seconds); revoked tokens are removed.
        self.issued: dict[str, float] = {}
        self.exchanges = 0

    @property
    def base_url(self) -> str:
        return self.url

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    def revoke_all(self) -> None:
        self.issued.clear()

    def routes(self, app: web.Application) -> None:
        app.router.add_get(TOKEN_PATH, self.exchange)
        app.router.add_get("/models", self.list_models)
        app.router.add_post("/chat/completions", self.chat)
        app.router.add_post("/embeddings", self.embeddings)

    async def exchange(self, request: web.Request) -> web.Response:
        scheme, _, github_token = request.headers.get("Authorization", "").partition(" ")
        if (
            scheme.lower() != "token"
            or github_token not in self.github_tokens | self.no_copilot_tokens
        ):
            return json_response(
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
                status=401,
            )
        if github_token in self.no_copilot_tokens:
            return json_response(
                {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
                status=404,
            )
        self.exchanges += 1
        token = f"tid={uuid.uuid4().hex};exp={int(time.time() + self.token_lifetime)};sku=free"
        expires_at = int(time.time() + self.token_lifetime)
        self.issued[token] = expires_at
        return json_response(
            {
                "token": token,
                "expires_at": expires_at,
                "refresh_in": max(int(self.token_lifetime) - 300, 1),
                "endpoints": {"api": self.url},
                "chat_enabled": True,
            }
        )

    def refuse(self, request: web.Request) -> web.Response | None:
        token = bearer(request)
        expires_at = self.issued.get(token)
        if expires_at is None or expires_at <= time.time():
            return web.Response(status=401, text="unauthorized: token expired")
        if not request.headers.get("Copilot-Integration-Id"):
            return json_response(
                {"error": {"message": "missing Copilot-Integration-Id header"}}, status=400
            )
        return None

    async def list_models(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return json_response({"data": COPILOT_MODELS, "object": "list"})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request):
            return refused
        return await chat_handler(request)

    async def embeddings(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        return await embeddings_handler(request)
