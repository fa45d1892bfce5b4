"""Flashback's error envelope, `{"success": false, "message": "<text>"}`, for every path under `/ai`.

Statuses follow Flashback's documentation and the spec's proposals: 401 without a valid token
(F2), 403 for a workspace the caller cannot access (even one that does not exist, so ids cannot
be probed), 404 for an unknown configuration, 400 for every bad request — a duplicate name
included — and 500 without details. Messages never echo what the client sent: of pydantic's
`input` only "was it null" is used.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError, FieldError, Forbidden, Unauthenticated
from aiport.surfaces.errors import SurfaceErrors

PREFIX = "/ai"
UNAUTHORIZED = "Unauthorized"
FORBIDDEN = "Insufficient permissions"
NOT_FOUND = "AI LLM configuration not found"
NAME_TAKEN = "A configuration with this name already exists in this workspace"
INTERNAL = "Internal server error"

# Provider fields as Flashback calls them (the `api_keys` entries are its one `secret`).
_FIELD_WORDS = {
    "base_url": "endpoint",
    "display_name": "name",
    "settings.access_key": "key",
    "settings.access_key_secret": "secret",
}
# A field problem's rule (`FieldError.reason`) in Flashback's words; `{value}` is what it quotes.
_RULES = {
    "required": "is required",
    "empty": "must not be empty",
    "padded": "must not contain leading or trailing whitespace",
    "nul": "must not contain NUL characters",
    "not_unicode": "must be valid Unicode text",
    "not_absolute_url": "must be an absolute URL (e.g. https://api.example.com/)",
    "bad_scheme": 'scheme must be http or https, got "{value}"',
}
_FIELD_LABELS = {
    "name": "Name",
    "aiType": "aiType",
    "endpoint": "Endpoint",
    "key": "Key",
    "secret": "Secret",
    "workspaceId": "workspaceId",
    "aiLlmId": "aiLlmId",
}
_STATUS = {
    "workspace_not_found": 403,
    "provider_name_taken": 400,
    "provider_display_name_taken": 400,
    "request_invalid": 400,
}
_MESSAGES = {
    "workspace_not_found": FORBIDDEN,
    "provider_not_found": NOT_FOUND,
    "provider_name_taken": NAME_TAKEN,
    "provider_display_name_taken": NAME_TAKEN,
    "route_not_found": "Route not found",
    "method_not_allowed": "Method not allowed",
    "empty_update": "Nothing to update: send at least one of name, aiType, endpoint, key, secret",
    "provider_type_change_refused": (
        "aiType cannot change to or from AWS; create a new configuration instead"
    ),
    "aws_key_pair_undecryptable": (
        "The stored AWS key pair cannot be decrypted; send both key and secret."
    ),
    "bedrock_rejects_api_keys": (
        "Bedrock providers do not accept secret; configure access credentials via settings."
    ),
    "copilot_rejects_api_keys": (
        "Copilot providers do not accept secret; they authenticate via request-time GitHub "
        "OAuth tokens."
    ),
    "bedrock_type_mismatch": (
        "Bedrock settings are only valid for aiType=anthropic or aiType=bedrock."
    ),
    "unknown_credential": "secret references an unknown id for this provider",
}


def _field_word(field: str) -> str:
    return "secret" if field.startswith("api_keys") else _FIELD_WORDS.get(field, field)


def _field_problem(problem: FieldError) -> str:
    word = _field_word(problem.field)
    label = "endpoint URL" if word == "endpoint" else word
    rule = _RULES.get(problem.reason)
    said = f"{word} {rule.format(value=problem.value)}" if rule else problem.detail
    return f"Invalid {label}: {said}"


def _label(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    field = parts[0] if parts else ""
    return _FIELD_LABELS.get(field, field)


def _one_problem(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence (only its location, type, message and limits)."""
    kind = str(error.get("type", ""))
    label = _label(tuple(error.get("loc", ())))
    limits = error.get("ctx") or {}
    if kind == "json_invalid":
        return "Request body must be valid JSON"
    if not label:
        if kind == "missing":
            return "Request body is required"
        if kind in ("model_attributes_type", "dict_type", "model_type"):
            return "Request body must be a JSON object"
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "missing" or ("input" in error and error["input"] is None):
        return f"{label} is required"
    if label == "aiType":
        return "Invalid aiType: must be one of OPENAI, GOOGLE, ANTHROPIC, AWS, OTHER"
    if kind == "string_too_long":
        return f"{label} must be at most {limits.get('max_length')} characters"
    if kind == "string_type":
        return f"{label} must be a string"
    if kind == "string_unicode":
        return f"{label} must be valid Unicode text"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{label} {message}" if message.startswith(("is ", "cannot ")) else f"{label}: {message}"


def _invalid_request(error: AppError) -> str:
    errors = getattr(error, "errors", None)
    if isinstance(errors, list) and errors:
        return "; ".join(dict.fromkeys(_one_problem(e) for e in errors))
    return "Invalid request"


def _message(error: AppError) -> str:
    if isinstance(error, Unauthenticated):
        return UNAUTHORIZED
    if error.code in _MESSAGES:
        return _MESSAGES[error.code]
    if error.code == "request_invalid":
        return _invalid_request(error)
    if isinstance(error, Forbidden):
        return FORBIDDEN
    if error.status >= 500:
        return INTERNAL
    if error.fields:
        return "; ".join(_field_problem(f) for f in error.fields)
    return error.message or "Bad request"


def flashback_error(error: AppError) -> tuple[int, dict[str, Any]]:
    status = _STATUS.get(error.code, error.status)
    return status, {"success": False, "message": _message(error)}


def render_flashback(_request: Request, error: AppError) -> Response:
    status, body = flashback_error(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )


SURFACE_ERRORS = SurfaceErrors(prefixes=(PREFIX,), render=render_flashback)
