"""Wire shapes of the native `/api/v1` identity and workspace routes.

Requests refuse unknown fields and wrong JSON types, and bound every string, so anything a client
sends is either stored as given or refused with a 422 problem document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    field_validator,
)

from aiport.db.types import MAX_ID, utcnow
from aiport.users.schemas import Email, Name

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Role = Literal["admin", "member"]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginRequest(RequestBody):
    email: Email
    password: GivenPassword


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
