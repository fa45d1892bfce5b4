"""Errors in Baserow's shapes, for every path under /api/workspaces and /api/user.

Baserow's envelope is `{"error": "<CODE>", "detail": <text or object>}`. Authentication
failures are DRF's (`{"detail": …}` with `WWW-Authenticate: JWT realm="api"`), a malformed
`ClientSessionId` is a one-element JSON list (a Baserow quirk), and DRF itself answers a
malformed JSON body and an unknown method with `{"detail": …}` only.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from aiport.actions.errors import ClientSessionRequired, UndoRedoLockConflict
from aiport.auth.principal import InvalidActionGroupId, InvalidClientSessionId, MissingToken
from aiport.errors import AppError, BadRequest, Unauthenticated
from aiport.providers.errors import SettingsNotAdmin, SettingsNotMember, SettingsWorkspaceNotFound
from aiport.surfaces.errors import SurfaceErrors

PREFIXES = ("/api/workspaces", "/api/user")
_JWT_CHALLENGE = {"WWW-Authenticate": 'JWT realm="api"'}


class BaserowError(AppError):
    """An error Baserow names with its own code; `body_detail` is its `detail` as sent."""

    error = "ERROR"

    def __init__(self, detail: Any = ""):
        super().__init__(detail if isinstance(detail, str) and detail else self.error)
        self.body_detail = detail


class BodyInvalid(BaserowError, BadRequest):
    """Every problem of the body, nested like the body (DRF's serializer errors)."""

    code = "request_body_validation"
    error = "ERROR_REQUEST_BODY_VALIDATION"


class JsonParseError(BadRequest):
    """DRF's ParseError: `{"detail": "JSON parse error - …"}`, outside Baserow's envelope."""

    code = "json_parse_error"


# Domain errors Baserow answers with a status, code and detail of its own.
_ANSWERS: dict[str, tuple[int, str, str]] = {
    SettingsWorkspaceNotFound.code: (
        404,
        "ERROR_GROUP_DOES_NOT_EXIST",
        "The requested group does not exist.",
    ),
    # Baserow tells a non-member so (a 400 with an empty detail), where aiport says 404.
    SettingsNotMember.code: (400, "ERROR_USER_NOT_IN_GROUP", ""),
    SettingsNotAdmin.code: (
        400,
        "ERROR_USER_INVALID_GROUP_PERMISSIONS",
        "You need workspace.update permissions.",
    ),
}
_CODES = {
    ClientSessionRequired.code: "ERROR_CLIENT_SESSION_ID_HEADER_NOT_SET",
    UndoRedoLockConflict.code: "ERROR_UNDO_REDO_LOCK_CONFLICT",
    "payload_too_large": "ERROR_REQUEST_BODY_TOO_LARGE",
}


def baserow_body(request: Request, error: AppError) -> Any:
    if isinstance(error, BaserowError):
        return {"error": error.error, "detail": error.body_detail}
    if error.code in _ANSWERS:
        _, code, detail = _ANSWERS[error.code]
        return {"error": code, "detail": detail}
    if isinstance(error, InvalidClientSessionId | InvalidActionGroupId):
        return [error.message]
    if isinstance(error, Unauthenticated):
        if isinstance(error, MissingToken):
            return {"detail": "Authentication credentials were not provided."}
        return {
            "detail": "Access token is expired or invalid.",
            "error": "ERROR_INVALID_ACCESS_TOKEN",
        }
    if isinstance(error, JsonParseError):
        return {"detail": error.message}
    if error.code == "method_not_allowed":
        return {"detail": f'Method "{request.method}" not allowed.'}
    if error.code == "route_not_found":
        return {"error": "URL_NOT_FOUND", "detail": f"URL {request.url.path} not found."}
    if error.status >= 500:
        # An unexpected failure's text could carry anything: it stays in the log.
        return {"error": "ERROR_INTERNAL", "detail": "An internal server error occurred."}
    code = _CODES.get(error.code, f"ERROR_{error.code.upper()}")
    return {"error": code, "detail": error.message}


def render_baserow_error(request: Request, error: AppError) -> Response:
    headers = _JWT_CHALLENGE if isinstance(error, Unauthenticated) else None
    return Response(
        orjson.dumps(baserow_body(request, error)),
        status_code=_ANSWERS[error.code][0] if error.code in _ANSWERS else error.status,
        media_type="application/json",
        headers=headers,
    )


SURFACE_ERRORS = SurfaceErrors(prefixes=PREFIXES, render=render_baserow_error)
