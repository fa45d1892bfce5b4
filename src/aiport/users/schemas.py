"""Users and their tokens as the domain takes and hands them out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StringConstraints


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


class UserCreate(BaseModel):
    """A new person, from the API or the command line (the same checks for both)."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name
    password: NewPassword | None = None
    is_admin: StrictBool = False


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    is_admin: bool
    created_at: datetime
    updated_at: datetime


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


class Login(BaseModel):
    """A password traded for a session token, and whose it is."""

    token: TokenIssued
    user: UserRead
