"""`/api/v1/workspaces` and their members."""

from __future__ import annotations

from fastapi import APIRouter, Response

from aiport.surfaces.native.dependencies import ManagedWorkspace, PathId
from aiport.surfaces.native.schemas import MembershipPut, WorkspaceCreate
from aiport.workspaces.dependencies import WorkspaceServiceDep
from aiport.workspaces.schemas import MemberRead, MembershipRead, WorkspaceRead

router = APIRouter(prefix="/api/v1", tags=["workspaces"])


@router.post("/workspaces", status_code=201)
async def create_workspace(body: WorkspaceCreate, workspaces: WorkspaceServiceDep) -> WorkspaceRead:
    return await workspaces.create(body.name)


@router.get("/workspaces")
async def list_workspaces(workspaces: WorkspaceServiceDep) -> list[WorkspaceRead]:
    return await workspaces.list_workspaces()


@router.get("/workspaces/{workspace_id}/members")
async def list_members(
    access: ManagedWorkspace, workspaces: WorkspaceServiceDep
) -> list[MemberRead]:
    return await workspaces.list_members(access)


@router.put("/workspaces/{workspace_id}/members/{user_id}")
async def put_member(
    user_id: PathId, body: MembershipPut, access: ManagedWorkspace, workspaces: WorkspaceServiceDep
) -> MembershipRead:
    """Add the user with `role`, or change their role (workspace admins)."""
    return await workspaces.put_member(access, user_id, body.role)


@router.delete("/workspaces/{workspace_id}/members/{user_id}", status_code=204)
async def remove_member(
    user_id: PathId, access: ManagedWorkspace, workspaces: WorkspaceServiceDep
) -> Response:
    await workspaces.remove_member(access, user_id)
    return Response(status_code=204)
