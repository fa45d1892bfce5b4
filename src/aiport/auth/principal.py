"""Who is calling: the token in the request, resolved to a user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from aiport.auth.tokens import hash_token
from aiport.db.types import utcnow
from aiport.errors import Unauthenticated
from aiport.users.repository import TokenRepository

# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_AUTH_SCHEMES = ("bearer", "jwt", "token")


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    is_admin: bool
    token_id: int
    # A token bound to a workspace may act in that workspace only.
    token_workspace_id: int | None
    # Where the request came from, for audit events.
    client_address: str = ""


class MissingToken(Unauthenticated):
    code = "missing_token"


class InvalidToken(Unauthenticated):
    code = "invalid_token"


def token_from_headers(connection: HTTPConnection) -> str | None:
    """The token from `Authorization` (Bearer/JWT/Token), `Coder-Session-Token` or `X-Api-Key`."""
    authorization = connection.headers.get("authorization", "").strip()
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() in _AUTH_SCHEMES and value.strip():
            return value.strip()
    for header in ("coder-session-token", "x-api-key"):
        value = connection.headers.get(header, "").strip()
        if value:
            return value
    return None


def token_from_coder_request(connection: HTTPConnection) -> str | None:
    """Coder's order: cookie, `coder_session_token` query, headers, then `access_token` query."""
    for candidate in (
        connection.cookies.get("coder_session_token"),
        connection.query_params.get("coder_session_token"),
    ):
        if candidate and candidate.strip():
            return candidate.strip()
    header_token = token_from_headers(connection)
    if header_token:
        return header_token
    access_token = connection.query_params.get("access_token", "").strip()
    return access_token or None


async def authenticate(
    session: AsyncSession, token: str | None, *, client_address: str = ""
) -> Principal:
    if not token:
        raise MissingToken("no API token in the request")
    tokens = TokenRepository(session)
    row = await tokens.get_by_hash(hash_token(token))
    now = utcnow()
    if row is None:
        raise InvalidToken("the API token is not valid")
    if row.expires_at is not None and row.expires_at <= now:
        raise InvalidToken("the API token has expired")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        await tokens.touch(row.id, now)
    return Principal(
        user_id=row.user.id,
        email=row.user.email,
        is_admin=row.user.is_admin,
        token_id=row.id,
        token_workspace_id=row.workspace_id,
        client_address=client_address,
    )
