"""A fake Azure OpenAI resource: `api-key` header, a required `api-version`, deployments."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.openai import chat_handler, embeddings_handler
from tests.fakes.server import FakeServer, json_response

AZURE_DEPLOYMENTS: list[dict[str, Any]] = [
    {"id": "gpt4o-prod", "model": "gpt-4o", "owner": "organization-owner", "status": "succeeded"},
    {"id": "embed-small", "model": "text-embedding-3-small", "status": "succeeded"},
]


class FakeAzure(FakeServer):
    def __init__(
        self,
        *,
        keys: set[str],
        api_versions: frozenset[str] = frozenset({"2024-10-21", "2024-06-01"}),
        deployments: list[dict[str, Any]] | None = None,
    ):
        super().__init__()
        self.keys = keys
        self.api_versions = api_versions
        self.deployments = AZURE_DEPLOYMENTS if deployments is None else deployments

    @property
    def base_url(self) -> str:
        return self.url

    def error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        return json_response(
            {"error": {"code": code, "message": message}}, status=status, headers=headers
        )

    def refuse(self, request: web.Request) -> web.Response | None:
        version = request.query.get("api-version")
        if version is None:
            return self.error(
                404, "404", "Resource not found: the api-version query parameter is missing"
            )
        if version not in self.api_versions:
            return self.error(400, "BadRequest", f"API version {version} is not supported")
        if request.headers.get("api-key") not in self.keys:
            return self.error(
                401,
                "401",
                "Access denied due to invalid subscription key or wrong API endpoint. Make "
                "sure to provide a valid key for an active subscription.",
            )
        return None

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/openai/deployments", self.list_deployments)
        app.router.add_post("/openai/deployments/{deployment}/chat/completions", self.chat)
        app.router.add_post("/openai/deployments/{deployment}/embeddings", self.embeddings)

    def _known(self, request: web.Request) -> web.Response | None:
        names = {d["id"] for d in self.deployments}
        if request.match_info["deployment"] not in names:
            return self.error(
                404, "DeploymentNotFound", "The API deployment for this resource does not exist."
            )
        return None

    async def list_deployments(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request):
            return refused
        data = [d | {"object": "deployment"} for d in self.deployments]
        return json_response({"data": data, "object": "list"})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        if refused := self.refuse(request) or self._known(request):
            return refused
        return await chat_handler(request)

    async def embeddings(self, request: web.Request) -> web.Response:
        if refused := self.refuse(request) or self._known(request):
            return refused
        return await embeddings_handler(request)
