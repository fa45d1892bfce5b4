"""What a new user is made of, and the text rules of names and emails, for every caller (the
native API and the CLI alike)."""

from __future__ import annotations

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
    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name
    password: NewPassword | None = None
    is_admin: StrictBool = False
