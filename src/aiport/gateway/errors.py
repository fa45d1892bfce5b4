"""Gateway failures; each gateway surface renders them in its caller's wire shape."""

from __future__ import annotations

from aiport.errors import AppError, BadRequest, NotFound


class GatewayError(AppError):
    """Base of gateway failures; `retry_after` (seconds) becomes a `Retry-After` header."""

    retry_after: int | None = None


class InvalidGatewayRequest(BadRequest, GatewayError):
    code = "invalid_request"


# `ModelNotFound` (the models domain's) when a request names no model at all.
NO_MODEL_NAMED = "the request names no model: use <provider name>/<model>"


class RouteNotSupported(NotFound, GatewayError):
    code = "route_not_supported"

    def __init__(self, method: str, path: str):
        super().__init__(f"route not supported: {method} {path}")


class ProviderDisabled(GatewayError):
    code = "provider_disabled"
    status = 503

    def __init__(self, name: str):
        super().__init__(f'AI provider "{name}" is disabled')
        self.name = name


class OperationNotSupported(InvalidGatewayRequest):
    code = "operation_not_supported"


class KeysExhausted(GatewayError):
    """Every key failed or is cooling down: 429 if one is only rate limited, else 502."""

    code = "keys_exhausted"

    def __init__(self, provider: str, *, rate_limited: bool, retry_after: int | None, last: str):
        reason = "rate limited" if rate_limited else "failing"
        super().__init__(
            f'all API keys of AI provider "{provider}" are {reason}'
            + (f" (last error: {last})" if last else "")
        )
        self.status = 429 if rate_limited else 502
        self.retry_after = retry_after if rate_limited else None


class NoCredentials(GatewayError):
    code = "no_credentials"
    status = 502

    def __init__(self, provider: str, *, undecryptable: int = 0):
        super().__init__(
            f'the API keys of AI provider "{provider}" cannot be decrypted (their master key '
            "is not in AIPORT_SECRET_KEYS): replace them"
            if undecryptable
            else f'AI provider "{provider}" has no API keys'
        )


class RateLimited(GatewayError):
    code = "rate_limited"
    status = 429

    def __init__(self, scope: str, retry_after: int):
        super().__init__(f"rate limit of this {scope} reached, retry in {retry_after} s")
        self.retry_after = retry_after


class UpstreamError(GatewayError):
    """The provider answered with a client error; its message is passed on in the caller's shape."""

    code = "upstream_error"

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.kind = kind
