"""API tokens: random, shown once, stored as a SHA-256 hash; and where a request carries one.

Generated tokens use Coder's shape, `<10-char id>-<22-char secret>`, so Coder clients accept them.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Mapping

from starlette.requests import HTTPConnection

_ALPHABET = string.ascii_letters + string.digits
_AUTH_SCHEMES = frozenset(("bearer", "jwt", "token"))
# Coder's AI bridge in BYOK mode: `Authorization` carries the caller's own provider key, so the
# aiport token comes in this header, which then wins (the gateway's routes only).
GOVERNANCE_HEADER = "x-coder-ai-governance-token"
# Longer tokens are refused before any lookup or hashing (DESIGN §3): ours are 33 characters, and
# a bogus megabyte token must cost neither a hash nor a cache entry of its size.
MAX_TOKEN_LENGTH = 512


def is_plausible_token(token: str) -> bool:
    """Whether `token` is short enough to be looked up at all."""
    return len(token) <= MAX_TOKEN_LENGTH


def generate_token() -> str:
    token_id = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    secret = "".join(secrets.choice(_ALPHABET) for _ in range(22))
    return f"{token_id}-{secret}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str:
    return token[:10]


def token_from_headers(headers: Mapping[str, str], *, governance: bool = False) -> str | None:
    """The token in DESIGN §3's order: `Authorization` (Bearer, JWT or Token, any case),
    `Coder-Session-Token`, `X-Api-Key`; with `governance`, Coder's governance header first.

    Runs on every gateway call (there `headers` is a plain dict of lower-case names).
    """
    if governance:
        token = headers.get(GOVERNANCE_HEADER)
        if token and (token := token.strip()):
            return token
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() in _AUTH_SCHEMES and (token := token.strip()):
            return token
    token = headers.get("coder-session-token")
    if token and (token := token.strip()):
        return token
    token = headers.get("x-api-key")
    if token and (token := token.strip()):
        return token
    return None


def token_from_coder_request(connection: HTTPConnection) -> str | None:
    """Coder's order: cookie, `coder_session_token` query, the headers, then `access_token` query."""
    for candidate in (
        connection.cookies.get("coder_session_token"),
        connection.query_params.get("coder_session_token"),
    ):
        if candidate and (candidate := candidate.strip()):
            return candidate
    return token_from_headers(connection.headers) or (
        connection.query_params.get("access_token", "").strip() or None
    )
