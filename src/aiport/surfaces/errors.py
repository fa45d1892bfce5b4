"""Each surface renders errors in its reference's shape; the app picks the renderer by path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError, NotFound

ErrorRenderer = Callable[[Request, AppError], Response]


class RouteNotFound(NotFound):
    code = "route_not_found"


class MethodNotAllowed(AppError):
    code = "method_not_allowed"
    status = 405


class InternalError(AppError):
    code = "internal_error"
    status = 500


@dataclass(frozen=True)
class SurfaceErrors:
    """The path prefixes a surface owns and how it renders an `AppError`."""

    prefixes: Sequence[str]
    render: ErrorRenderer


class ErrorRouter:
    def __init__(self, surfaces: Sequence[SurfaceErrors], default: ErrorRenderer):
        # Longest prefix first, so `/api/v2/ai-gateway` wins over `/api/v2`.
        self._table = sorted(
            ((prefix, s.render) for s in surfaces for prefix in s.prefixes),
            key=lambda item: len(item[0]),
            reverse=True,
        )
        self._default = default

    def renderer_for(self, path: str) -> ErrorRenderer:
        for prefix, render in self._table:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return render
        return self._default

    def render(self, request: Request, error: AppError) -> Response:
        return self.renderer_for(request.url.path)(request, error)
