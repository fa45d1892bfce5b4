"""OpenAI's chat protocol upstream: the hub format itself, so almost nothing to do."""

from __future__ import annotations

from aiport.gateway.translate.base import JSON, SseParser


class OpenAIStreamDecoder:
    __slots__ = ("_parser",)

    def __init__(self) -> None:
        self._parser = SseParser()

    def feed(self, data: bytes) -> list[JSON]:
        return self._parser.feed_json(data)

    def close(self) -> list[JSON]:
        return []


class OpenAICodec:
    def chat_path(self, model: str, stream: bool) -> str:  # noqa: ARG002
        return "/chat/completions"

    def chat_request(self, request: JSON, model: str, stream: bool) -> JSON:
        body = dict(request)
        body["model"] = model
        if stream:
            # Usage comes only when asked for; translated callers always get it from us.
            body["stream_options"] = {
                **(request.get("stream_options") or {}),
                "include_usage": True,
            }
        return body

    def chat_response(self, body: JSON, model: str) -> JSON:  # noqa: ARG002
        return body

    def stream_decoder(self, model: str) -> OpenAIStreamDecoder:  # noqa: ARG002
        return OpenAIStreamDecoder()

    def embeddings(self, request: JSON, model: str) -> tuple[str, JSON]:
        return "/embeddings", {**request, "model": model}

    def embeddings_response(self, body: JSON, model: str) -> JSON:  # noqa: ARG002
        return body
