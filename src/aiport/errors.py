"""The domain error hierarchy. No HTTP here: each surface renders these in its own shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One field's problem. `detail` is the sentence in the reference's words (Coder's, for
    providers); `reason` names the rule broken (e.g. `required`, `padded`) and `value` what a
    sentence quotes, so a surface can say it in its own words without rewriting `detail`."""

    field: str
    detail: str
    reason: str = ""
    value: str = ""


class AppError(Exception):
    """Base of every expected failure. `code` is stable; `status` is the natural HTTP status."""

    code = "error"
    status = 500
    # What a subclass that always says the same thing says when raised without a message.
    default_message = ""

    def __init__(
        self,
        message: str | None = None,
        *,
        detail: str = "",
        fields: list[FieldError] | None = None,
    ):
        message = self.default_message if message is None else message
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.fields = fields or []


class BadRequest(AppError):
    code = "bad_request"
    status = 400


class ValidationFailed(BadRequest):
    code = "validation_failed"


class Unauthenticated(AppError):
    code = "unauthenticated"
    status = 401


class Forbidden(AppError):
    code = "forbidden"
    status = 403


class NotFound(AppError):
    code = "not_found"
    status = 404


class Conflict(AppError):
    code = "conflict"
    status = 409


class PayloadTooLarge(AppError):
    code = "payload_too_large"
    status = 413


class UpstreamFailed(AppError):
    code = "upstream_failed"
    status = 502
