"""Typed upstream failures. Each maps to one credential status and carries a message a person
can act on; none ever holds a secret (adapters scrub upstream text before raising)."""

from __future__ import annotations

from enum import StrEnum

from aiport.errors import BadRequest, UpstreamFailed


class CheckStatus(StrEnum):
    """A credential's status after a check, as stored and shown on every surface."""

    OK = "ok"
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    BAD_RESPONSE = "bad_response"
    UNDECRYPTABLE = "undecryptable"


class ProviderError(UpstreamFailed):
    """An upstream call failed. `host` names the upstream; `upstream_status` its HTTP status."""

    code = "upstream_failed"
    status = 502
    check_status = CheckStatus.BAD_RESPONSE

    def __init__(
        self,
        message: str,
        *,
        host: str = "",
        upstream_status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.host = host
        self.upstream_status = upstream_status
        self.retry_after = retry_after


class CredentialRejected(ProviderError):
    """The upstream does not know the key (401, or a vendor's own "invalid key" answer)."""

    code = "upstream_credential_rejected"
    check_status = CheckStatus.INVALID


class CredentialForbidden(ProviderError):
    """The key is known but may not do this (403): missing permission, region or subscription."""

    code = "upstream_credential_forbidden"
    check_status = CheckStatus.FORBIDDEN


class UpstreamRateLimited(ProviderError):
    code = "upstream_rate_limited"
    status = 429
    check_status = CheckStatus.RATE_LIMITED


class UpstreamUnreachable(ProviderError):
    """No HTTP answer at all: refused connection, unknown host, broken TLS, no base URL."""

    code = "upstream_unreachable"
    check_status = CheckStatus.UNREACHABLE


class OutboundBlocked(UpstreamUnreachable):
    """aiport itself refused the address (metadata, link-local, or private when not allowed)."""

    code = "outbound_blocked"


class UpstreamTimeout(ProviderError):
    code = "upstream_timeout"
    status = 504
    check_status = CheckStatus.TIMEOUT


class UpstreamBadResponse(ProviderError):
    """An answer aiport cannot use: a 5xx, an unexpected status, or a body it cannot read."""

    code = "upstream_bad_response"
    check_status = CheckStatus.BAD_RESPONSE


class UnknownProviderType(BadRequest):
    """A provider type no adapter serves (the providers domain validates types before this)."""

    code = "unknown_provider_type"
