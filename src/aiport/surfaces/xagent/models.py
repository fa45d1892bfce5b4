"""Xagent's model CRUD. Registered after every fixed path, so `/{model_id}` shadows none."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aiport.models.dependencies import ModelServiceDep
from aiport.models.schemas import ModelFilter
from aiport.surfaces.xagent.schemas import (
    Message,
    ModelWithAccessInfo,
    XagentModelCreate,
    XagentModelUpdate,
)
from aiport.workspaces.dependencies import CurrentWorkspace

router = APIRouter()

MAX_SKIP = 2_147_483_647
DELETED = Message(message="Model deleted successfully")


@router.post("/register", response_model=ModelWithAccessInfo)
async def register_model(
    body: XagentModelCreate, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.create(access, body.to_domain()))


@router.post("/", response_model=ModelWithAccessInfo)
async def create_model(
    body: XagentModelCreate, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.create(access, body.to_domain()))


@router.get("/", response_model=list[ModelWithAccessInfo])
async def list_models(
    access: CurrentWorkspace,
    models: ModelServiceDep,
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    category: str | None = None,
    model_provider: str | None = None,
    is_active: bool = True,
) -> list[ModelWithAccessInfo]:
    query = ModelFilter(
        skip=skip,
        limit=limit,
        category=category,
        model_provider=model_provider,
        is_active=is_active,
    )
    return [ModelWithAccessInfo.of(v) for v in await models.list_models(access, query)]


@router.get("/by-id/{model_id:path}", response_model=ModelWithAccessInfo)
async def get_model_by_id(
    model_id: str, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.get(access, model_id))


@router.put("/by-id/{model_id:path}", response_model=ModelWithAccessInfo)
async def update_model_by_id(
    model_id: str, body: XagentModelUpdate, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.update(access, model_id, body.to_domain()))


@router.delete("/by-id/{model_id:path}", response_model=Message)
async def delete_model_by_id(
    model_id: str, access: CurrentWorkspace, models: ModelServiceDep
) -> Message:
    await models.delete(access, model_id)
    return DELETED


@router.get("/{model_id}", response_model=ModelWithAccessInfo)
async def get_model(
    model_id: str, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.get(access, model_id))


@router.put("/{model_id}", response_model=ModelWithAccessInfo)
async def update_model(
    model_id: str, body: XagentModelUpdate, access: CurrentWorkspace, models: ModelServiceDep
) -> ModelWithAccessInfo:
    return ModelWithAccessInfo.of(await models.update(access, model_id, body.to_domain()))


@router.delete("/{model_id}", response_model=Message)
async def delete_model(model_id: str, access: CurrentWorkspace, models: ModelServiceDep) -> Message:
    await models.delete(access, model_id)
    return DELETED
