"""Xagent's (FastAPI's) error shape: `{"detail": "<message>"}`, and for validation errors
`{"detail": [{type, loc, msg, input, …}]}`; request input is echoed with its secrets replaced."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError, NotFound

SECRET_INPUTS = frozenset({"api_key", "secret", "password", "token"})
REDACTED = "***"

# FastAPI's own words for the errors the framework raises.
_FRAMEWORK_DETAILS = {
    "route_not_found": "Not Found",
    "method_not_allowed": "Method Not Allowed",
    "internal_error": "Internal Server Error",
    "missing_token": "Not authenticated",
}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if k in SECRET_INPUTS and v else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def validation_detail(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's error list as FastAPI renders it, without any secret the client sent."""
    detail = []
    for error in errors:
        item = {k: v for k, v in error.items() if k != "url"}
        if "input" in item:
            loc = [str(p) for p in item.get("loc", ())]
            secret_field = bool(loc) and loc[-1] in SECRET_INPUTS
            item["input"] = REDACTED if secret_field else _scrub(item["input"])
        if "ctx" in item:
            item["ctx"] = _scrub(item["ctx"])
        detail.append(item)
    return detail


def _detail(error: AppError) -> Any:
    errors = getattr(error, "errors", None)
    if error.status == 422 and isinstance(errors, list):
        return validation_detail(errors)
    if error.status == 422 and error.fields:
        return [
            {
                "type": "value_error",
                "loc": ["body", *f.field.split(".")],
                "msg": f"Value error, {f.detail}",
            }
            for f in error.fields
        ]
    if error.code in _FRAMEWORK_DETAILS:
        return _FRAMEWORK_DETAILS[error.code]
    if error.status == 401:
        return (
            "Token expired" if "expired" in error.message else "Invalid authentication credentials"
        )
    if isinstance(error, NotFound) and error.code == "workspace_not_found":
        return "Workspace not found"
    return error.message


def render_xagent(request: Request, error: AppError) -> Response:  # noqa: ARG001
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return Response(
        orjson.dumps({"detail": _detail(error)}),
        status_code=error.status,
        media_type="application/json",
        headers=headers,
    )
