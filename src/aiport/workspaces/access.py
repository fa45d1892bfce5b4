"""Which workspace a request acts in, and the caller's role there (DESIGN §3).

The one home of the rule, for every surface and the gateway: the workspace the request names
(path, body or query), else the `AIPort-Workspace` header, else the workspace the token is bound
to, else the user's default. A workspace the caller is not a member of, or one outside the
token's binding, is "not found" (never "forbidden"), so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.auth.principal import Principal
from aiport.workspaces.errors import NotWorkspaceAdmin, WorkspaceNotFound
from aiport.workspaces.repository import WorkspaceRepository

WORKSPACE_HEADER = "aiport-workspace"
# Ids are 32-bit on every dialect: a larger number would be a database error, not a 404.
MAX_WORKSPACE_ID = 2_147_483_647


@dataclass(frozen=True)
class WorkspaceAccess:
    """The workspace a request acts in, and the caller's role there."""

    workspace_id: int
    role: str
    principal: Principal

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_admin(self) -> None:
        if not self.is_admin:
            raise NotWorkspaceAdmin()


def is_workspace_id(value: int) -> bool:
    """Whether `value` can name a workspace at all (else no query is worth making)."""
    return 1 <= value <= MAX_WORKSPACE_ID


def workspace_id_of(raw: str | int) -> int:
    """A workspace id given as text (a header, Flashback's string ids) or a number.

    Anything but decimal digits naming a possible id names no workspace the caller can reach.
    """
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise WorkspaceNotFound()
    value = int(text)
    if not is_workspace_id(value):
        raise WorkspaceNotFound()
    return value


def workspace_header(raw: str | None) -> int | None:
    """The workspace the `AIPort-Workspace` header names (its raw value), or None without one."""
    return None if raw is None else workspace_id_of(raw)


async def select_workspace(
    session: AsyncSession,
    user_id: int,
    bound_to: int | None,
    *,
    requested_id: int | None = None,
    header_id: int | None = None,
) -> tuple[int, str]:
    """The workspace and the caller's role there, for the user of a token bound to `bound_to`
    (None: unbound). The gateway, which knows its callers by token row, calls this directly."""
    repository = WorkspaceRepository(session)
    chosen = requested_id if requested_id is not None else header_id
    if chosen is None:
        chosen = bound_to
    if chosen is None:
        chosen = await _default_workspace(repository, user_id)
    if not is_workspace_id(chosen):
        raise WorkspaceNotFound(chosen)
    if bound_to is not None and chosen != bound_to:
        raise WorkspaceNotFound(chosen)
    membership = await repository.get_membership(chosen, user_id)
    if membership is None:
        raise WorkspaceNotFound(chosen)
    return chosen, membership.role


async def _default_workspace(repository: WorkspaceRepository, user_id: int) -> int:
    """Where an unbound token acts when the request names no workspace: the user's first."""
    first = await repository.first_membership(user_id)
    if first is None:
        raise WorkspaceNotFound()
    return first.workspace_id


async def resolve_workspace(
    session: AsyncSession,
    principal: Principal,
    *,
    requested_id: int | None = None,
    header_id: int | None = None,
) -> WorkspaceAccess:
    """The caller's access to the workspace of the request (see the module for the order)."""
    workspace_id, role = await select_workspace(
        session,
        principal.user_id,
        principal.token_workspace_id,
        requested_id=requested_id,
        header_id=header_id,
    )
    return WorkspaceAccess(workspace_id=workspace_id, role=role, principal=principal)


async def management_access(
    session: AsyncSession, principal: Principal, workspace_id: int
) -> WorkspaceAccess:
    """Access to a workspace's members and audit log, named in the path.

    Instance admins manage every workspace, so they act there as its admin whether they are
    members or not; anyone else gets `resolve_workspace`'s rule (non-members: "not found").
    A token bound to another workspace is refused even for an instance admin.
    """
    bound_elsewhere = (
        principal.token_workspace_id is not None and principal.token_workspace_id != workspace_id
    )
    if principal.is_admin and not bound_elsewhere:
        if await WorkspaceRepository(session).get(workspace_id) is None:
            raise WorkspaceNotFound(workspace_id)
        return WorkspaceAccess(workspace_id=workspace_id, role="admin", principal=principal)
    return await resolve_workspace(session, principal, requested_id=workspace_id)
