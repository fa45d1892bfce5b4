"""Callers in every position the native API's authorization rules distinguish."""

from __future__ import annotations

from dataclasses import dataclass, field

# Who calls, in the order the matrix tests list them.
CALLERS = (
    "instance_admin",  # is_admin, not a member of the workspace under test
    "workspace_admin",  # admin of the workspace, not an instance admin
    "member",
    "non_member",
    "no_token",
    "bad_token",
    "expired_token",  # the workspace admin's, expired
    "bound_elsewhere",  # the workspace admin's, bound to another workspace they are in
    "bound_here",  # the workspace admin's, bound to the workspace under test
)


@dataclass
class Roles:
    workspace_id: int
    other_workspace_id: int
    headers: dict[str, dict[str, str]]
    # The user behind each caller that has one.
    user_ids: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
