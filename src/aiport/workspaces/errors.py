from __future__ import annotations

from aiport.errors import Conflict, Forbidden, NotFound


class WorkspaceNotFound(NotFound):
    """Also what a non-member sees, so workspace ids cannot be probed."""

    code = "workspace_not_found"

    def __init__(self, workspace_id: int | None = None):
        super().__init__(
            "workspace not found" if workspace_id is None else f"workspace {workspace_id} not found"
        )
        self.workspace_id = workspace_id


class NotWorkspaceAdmin(Forbidden):
    code = "not_workspace_admin"
    default_message = "this needs the admin role in the workspace"


class MemberNotFound(NotFound):
    code = "member_not_found"

    def __init__(self, workspace_id: int, user_id: int):
        super().__init__(f"user {user_id} is not a member of workspace {workspace_id}")


class LastWorkspaceAdmin(Conflict):
    """A workspace without an admin could never be managed again."""

    code = "last_workspace_admin"

    def __init__(self, workspace_id: int, user_id: int):
        super().__init__(
            f"user {user_id} is the last admin of workspace {workspace_id}",
            detail="make another member an admin first",
        )


class BoundTokenCannotCreateWorkspace(Forbidden):
    code = "bound_token"
    default_message = "a token bound to a workspace cannot create workspaces"
