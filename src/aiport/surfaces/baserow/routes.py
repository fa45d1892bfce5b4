"""Baserow's routes: workspace generative-AI settings, the workspace list, undo and redo.

Bodies are read raw and validated the way Baserow's serializers do, inside the route, so the
order of answers is Baserow's: authentication (401) and the `ClientSessionId` format (400)
first, then the body (400), then the workspace (404) and the caller's role (400).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from aiport.actions.dependencies import CurrentUndoRedo
from aiport.actions.schemas import UndoRedoResult
from aiport.surfaces.baserow.dependencies import CurrentBaserowSettings
from aiport.surfaces.baserow.schemas import parse_scopes, parse_settings
from aiport.surfaces.baserow.settings import render_settings, render_workspace, render_workspaces

router = APIRouter(tags=["baserow"])

SETTINGS_PATH = "/api/workspaces/{workspace_id:int}/settings/generative-ai/"
_JSON_BODY: dict[str, Any] = {
    "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}
}


def _undo_redo_body(result: UndoRedoResult) -> dict[str, Any]:
    return {
        "actions": [{"action_type": a.type, "action_scope": a.scope} for a in result.actions],
        "result_code": result.result_code.value,
    }


@router.get(
    SETTINGS_PATH,
    operation_id="get_workspace_generative_ai_models_settings",
    summary="Get a workspace's generative AI settings (keys masked)",
)
async def get_settings(workspace_id: int, settings: CurrentBaserowSettings) -> dict[str, Any]:
    return render_settings(await settings.read(workspace_id))


@router.patch(
    SETTINGS_PATH,
    operation_id="update_workspace_generative_ai_models_settings",
    summary="Replace a workspace's generative AI settings",
    openapi_extra=_JSON_BODY,
)
async def update_settings(
    workspace_id: int, request: Request, settings: CurrentBaserowSettings
) -> dict[str, Any]:
    wanted = parse_settings(await request.body())
    return render_workspace(await settings.replace(workspace_id, wanted))


@router.get("/api/workspaces/", summary="List the caller's workspaces (Baserow)")
async def list_workspaces(settings: CurrentBaserowSettings) -> list[dict[str, Any]]:
    return render_workspaces(await settings.overview())


@router.patch("/api/user/undo/", operation_id="undo", openapi_extra=_JSON_BODY)
async def undo(request: Request, actions: CurrentUndoRedo) -> dict[str, Any]:
    return _undo_redo_body(await actions.undo(parse_scopes(await request.body())))


@router.patch("/api/user/redo/", operation_id="redo", openapi_extra=_JSON_BODY)
async def redo(request: Request, actions: CurrentUndoRedo) -> dict[str, Any]:
    return _undo_redo_body(await actions.redo(parse_scopes(await request.body())))
