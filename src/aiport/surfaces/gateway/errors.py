"""Gateway errors in each caller's wire shape: OpenAI's, Anthropic's, and Coder's plain text."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError
from aiport.gateway.errors import GatewayError, UpstreamError
from aiport.surfaces.errors import SurfaceErrors

Rendered = tuple[int, list[tuple[bytes, bytes]], bytes]


Renderer = Callable[[AppError], Rendered]

OPENAI_PREFIXES = ("/v1",)
CODER_PREFIXES = ("/api/v2/ai-gateway", "/api/v2/aibridge")

_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}
_ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "overloaded_error",
    529: "overloaded_error",
}


def _headers(error: AppError, content_type: bytes) -> list[tuple[bytes, bytes]]:
    headers = [(b"content-type", content_type)]
    retry_after = error.retry_after if isinstance(error, GatewayError) else None
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    return headers


def render_openai(error: AppError) -> Rendered:
    kind = _OPENAI_TYPES.get(
        error.status, "api_error" if error.status >= 500 else "invalid_request_error"
    )
    if isinstance(error, UpstreamError) and error.status < 500:
        kind = _OPENAI_TYPES.get(error.status, kind)
    body = {"error": {"message": error.message, "type": kind, "param": None, "code": error.code}}
    return error.status, _headers(error, b"application/json"), orjson.dumps(body)


def render_anthropic(error: AppError) -> Rendered:
    kind = _ANTHROPIC_TYPES.get(error.status, "api_error")
    body = {"type": "error", "error": {"type": kind, "message": error.message}}
    return error.status, _headers(error, b"application/json"), orjson.dumps(body)


def render_coder(error: AppError) -> Rendered:
    """Coder's AI gateway answers with `http.Error`: plain text and a newline."""
    text = f"{error.code}: {error.message}" if error.code == "provider_disabled" else error.message
    return error.status, _headers(error, b"text/plain; charset=utf-8"), text.encode() + b"\n"


def _as_response(render: Renderer) -> Callable[[Request, AppError], Response]:
    def respond(request: Request, error: AppError) -> Response:  # noqa: ARG001
        status, headers, body = render(error)
        response = Response(body, status_code=status)
        response.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
        return response

    return respond


def surface_errors() -> list[SurfaceErrors]:
    """For `app._surface_errors()`: errors raised on gateway paths outside the gateway's own
    dispatcher (none in normal operation) still come out in the caller's shape."""
    return [
        SurfaceErrors(prefixes=("/v1/messages",), render=_as_response(render_anthropic)),
        SurfaceErrors(prefixes=OPENAI_PREFIXES, render=_as_response(render_openai)),
        SurfaceErrors(prefixes=CODER_PREFIXES, render=_as_response(render_coder)),
    ]
