"""`/api/v1/workspaces` and their members."""

from __future__ import annotations

from fastapi import APIRouter, Response

from aiport.auth.dependencies import CurrentPrincipal
from aiport.db.session import DbSession
from aiport.surfaces.native.dependencies import ManagedWorkspace, PathId
from aiport.surfaces.native.schemas import (
    MemberRead,
    MembershipPut,
    MembershipRead,
    WorkspaceCreate,
    WorkspaceRead,
)
from aiport.workspaces import service

router = APIRouter(prefix="/api/v1", tags=["workspaces"])


@router.post("/workspaces", status_code=201)
async def create_workspace(
    body: WorkspaceCreate, session: DbSession, principal: CurrentPrincipal
) -> WorkspaceRead:
    workspace, role = await service.create_workspace(session, principal, name=body.name)
    return WorkspaceRead(
        id=workspace.id,
        name=workspace.name,
        role=role,
        created_at=workspace.created_at,
        updated_at=workspace.updated_at,
    )


@router.get("/workspaces")
async def list_workspaces(session: DbSession, principal: CurrentPrincipal) -> list[WorkspaceRead]:
    return [
        WorkspaceRead(
            id=w.id, name=w.name, role=role, created_at=w.created_at, updated_at=w.updated_at
        )
        for w, role in await service.list_workspaces(session, principal)
    ]


@router.get("/workspaces/{workspace_id}/members")
async def list_members(session: DbSession, access: ManagedWorkspace) -> list[MemberRead]:
    return [
        MemberRead(
            workspace_id=m.workspace_id,
            user_id=m.user_id,
            role=m.role,
            email=u.email,
            name=u.name,
            created_at=m.created_at,
        )
        for m, u in await service.list_members(session, access)
    ]


@router.put("/workspaces/{workspace_id}/members/{user_id}")
async def put_member(
    user_id: PathId, body: MembershipPut, session: DbSession, access: ManagedWorkspace
) -> MembershipRead:
    """Add the user with `role`, or change their role (workspace admins)."""
    return MembershipRead.model_validate(
        await service.put_member(session, access, user_id, body.role)
    )


@router.delete("/workspaces/{workspace_id}/members/{user_id}", status_code=204)
async def remove_member(user_id: PathId, session: DbSession, access: ManagedWorkspace) -> Response:
    await service.remove_member(session, access, user_id)
    return Response(status_code=204)
