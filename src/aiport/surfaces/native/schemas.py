"""Wire shapes of the native `/api/v1` identity and workspace routes; what they answer is the
domain's own schemas (`users.schemas`, `workspaces.schemas`, `audit.schemas`).

Requests refuse unknown fields and wrong JSON types, and bound every string, so anything a client
sends is either stored as given or refused with a 422 problem document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

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
from aiport.users.schemas import Email, Name, UserRead
from aiport.workspaces.schemas import Role

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
GivenPassword = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(RequestBody):
    email: Email
    password: GivenPassword


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


class WorkspaceCreate(RequestBody):
    name: Name


class MembershipPut(RequestBody):
    role: Role
