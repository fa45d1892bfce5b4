"""RFC 9457 problem details for the native API (and any path no surface claims)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError


def render_problem(request: Request, error: AppError) -> Response:
    body: dict[str, Any] = {
        "type": f"https://aiport.dev/problems/{error.code.replace('_', '-')}",
        "title": error.message,
        "status": error.status,
        "code": error.code,
        "instance": request.url.path,
    }
    if error.detail:
        body["detail"] = error.detail
    if error.fields:
        body["errors"] = [{"field": f.field, "detail": f.detail} for f in error.fields]
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return Response(
        orjson.dumps(body),
        status_code=error.status,
        media_type="application/problem+json",
        headers=headers,
    )
