"""Who is calling: the token in the request, resolved to a user."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from aiport.auth.tokens import hash_token, is_plausible_token
from aiport.db.types import utcnow
from aiport.errors import BadRequest, Unauthenticated
from aiport.users.repository import TokenRepository

# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Baserow's rule for the client session a change belongs to (undo/redo is per session).
_CLIENT_SESSION_ID = re.compile(r"[0-9a-zA-Z-]{1,256}")
CLIENT_SESSION_HEADER = "clientsessionid"
ACTION_GROUP_HEADER = "clientundoredoactiongroupid"


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
    # The `ClientSessionId` header: changes made with one are recorded as undoable Actions.
    client_session_id: str | None = None
    # The `ClientUndoRedoActionGroupId` header: Actions of one group are undone together.
    action_group_id: uuid.UUID | None = None
    # When the token stops working; a cached principal is dropped then too.
    token_expires_at: datetime | None = None


class MissingToken(Unauthenticated):
    code = "missing_token"


class InvalidToken(Unauthenticated):
    code = "invalid_token"


class InvalidClientSessionId(BadRequest):
    code = "invalid_client_session_id"
    default_message = (
        "An invalid ClientSessionId header was provided. It must be between 1 and 256 "
        "characters long and must only contain alphanumeric or the - characters."
    )


class InvalidActionGroupId(BadRequest):
    code = "invalid_action_group_id"
    default_message = (
        "An invalid ClientUndoRedoActionGroupId header was provided. "
        "It must be a valid Version 4 UUID."
    )


async def authenticate(
    session: AsyncSession, token: str | None, *, client_address: str = ""
) -> Principal:
    if not token:
        raise MissingToken("no API token in the request")
    if not is_plausible_token(token):
        raise InvalidToken("the API token is not valid")
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
        token_expires_at=row.expires_at,
    )


def with_client_session(principal: Principal, connection: HTTPConnection) -> Principal:
    """The caller with the request's client session and action group, checked as Baserow does:
    after the token (a bad token is still a 401), before anything else."""
    session_id = connection.headers.get(CLIENT_SESSION_HEADER)
    if session_id is not None and not _CLIENT_SESSION_ID.fullmatch(session_id):
        raise InvalidClientSessionId()
    group_id: uuid.UUID | None = None
    raw_group = connection.headers.get(ACTION_GROUP_HEADER)
    if raw_group is not None:
        try:
            group_id = uuid.UUID(raw_group)
        except ValueError:
            raise InvalidActionGroupId() from None
    if session_id is None and group_id is None:
        return principal
    return replace(principal, client_session_id=session_id, action_group_id=group_id)
