from __future__ import annotations

from aiport.errors import Forbidden, NotFound


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

    def __init__(self) -> None:
        super().__init__("this needs the admin role in the workspace")
