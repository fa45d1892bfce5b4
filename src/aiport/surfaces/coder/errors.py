"""Errors in coderd's envelope: `{message, detail?, validations?}`, for every path under /api/v2.

Coder's own texts are used where Coder has one (signed out, forbidden, not found, route not
found); otherwise the domain error's message, which for providers already is Coder's.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from aiport.errors import AppError, Forbidden, NotFound, Unauthenticated
from aiport.surfaces.coder.responses import GoJSONResponse
from aiport.surfaces.errors import SurfaceErrors

SIGNED_OUT = "You are signed out or your session has expired. Please sign in again to continue."
NO_TOKEN_DETAIL = 'Cookie "coder_session_token" or query parameter must be provided.'
FORBIDDEN_DETAIL = (
    "You don't have permission to view this content. If you believe this is a mistake, "
    "please contact your administrator or try signing in with different credentials."
)
RESOURCE_NOT_FOUND = "Resource not found or you do not have access to this resource"


def coder_body(error: AppError) -> dict[str, Any]:
    if isinstance(error, Unauthenticated):
        detail = NO_TOKEN_DETAIL if error.code == "missing_token" else error.message
        return {"message": SIGNED_OUT, "detail": detail}
    if isinstance(error, Forbidden):
        return {"message": "Forbidden.", "detail": FORBIDDEN_DETAIL}
    if error.code == "route_not_found":
        return {"message": "Route not found."}
    if isinstance(error, NotFound):
        # Unknown provider, and also a workspace the caller is not in: ids cannot be probed.
        return {"message": RESOURCE_NOT_FOUND}
    if error.code == "method_not_allowed":
        return {"message": "Method not allowed."}
    if error.code == "payload_too_large":
        return {"message": "Request body is too large.", "detail": error.message}
    if error.status >= 500:
        # The detail of an unexpected failure could carry anything: it stays in the log.
        return {"message": "An internal error occurred."}
    body: dict[str, Any] = {"message": error.message}
    if error.detail:
        body["detail"] = error.detail
    if error.fields:
        body["validations"] = [{"field": f.field, "detail": f.detail} for f in error.fields]
    return body


def render_coder_error(_request: Request, error: AppError) -> Response:
    return GoJSONResponse(coder_body(error), status_code=error.status)


SURFACE_ERRORS = SurfaceErrors(prefixes=("/api/v2",), render=render_coder_error)
