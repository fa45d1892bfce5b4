"""Wire shapes of the native `/api/v1` identity and workspace routes.

Requests refuse unknown fields and wrong JSON types, and bound every string, so anything a client
sends is either stored as given or refused with a 422 problem document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
)

from aiport.db.types import utcnow

# Ids are 32-bit integers on every dialect; a larger one can only be "not found" or invalid.
MAX_ID = 2_147_483_647


def _printable(value: str) -> str:
    # PostgreSQL refuses NUL in text and control characters are never meant in a name or an email.
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


def _email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in value):
        raise ValueError("must be an email address like name@example.com")
    return value


Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_printable),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=320),
    AfterValidator(_printable),
    AfterValidator(_email),
]
# Passwords are taken byte for byte (no stripping); the upper bound keeps hashing cheap to refuse.
NewPassword = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Role = Literal["admin", "member"]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginRequest(RequestBody):
    email: Email
    password: GivenPassword


class UserCreate(RequestBody):
    email: Email
    name: Name
    password: NewPassword | None = None
    is_admin: StrictBool = False


class UserRead(Read):
    id: int
    email: str
    name: str
    is_admin: bool
    created_at: datetime
    updated_at: datetime


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime | None
    user: UserRead


class TokenCreate(RequestBody):
    name: Name
    workspace_id: Id | None = None
    # With a zone (`2027-01-01T00:00:00Z`): a naive time would be read differently by each client.
    expires_at: AwareDatetime | None = None
    user_id: Id | None = None

    @field_validator("expires_at")
    @classmethod
    def _in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= utcnow():
            raise ValueError("must be in the future")
        return value


class TokenRead(Read):
    id: int
    name: str
    prefix: str
    user_id: int
    workspace_id: int | None
    expires_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime


class TokenIssued(TokenRead):
    """The only shape that carries the token itself: the answer to its creation."""

    token: str


class WorkspaceCreate(RequestBody):
    name: Name


class WorkspaceRead(BaseModel):
    id: int
    name: str
    role: Role
    created_at: datetime
    updated_at: datetime


class MembershipPut(RequestBody):
    role: Role


class MembershipRead(Read):
    workspace_id: int
    user_id: int
    role: Role


class MemberRead(MembershipRead):
    email: str
    name: str
    created_at: datetime


class AuditEventRead(Read):
    id: int
    workspace_id: int | None
    actor_user_id: int | None
    action: str
    target_type: str
    target_id: str
    diff: dict[str, Any]
    client_address: str
    created_at: datetime
