"""Xagent's default-model routes: `/default/…` getters and the per-user `/user-default` slots."""

from __future__ import annotations

from fastapi import APIRouter

from aiport.models.dependencies import ModelDefaultServiceDep
from aiport.models.schemas import ConfigType, ModelView
from aiport.surfaces.xagent.schemas import (
    Message,
    ModelWithAccessInfo,
    UserDefaultModelCreate,
    UserDefaultModelResponse,
    UserDefaultWithModel,
)
from aiport.workspaces.dependencies import CurrentWorkspace

router = APIRouter()


def _or_none(view: ModelView | None) -> ModelWithAccessInfo | None:
    return ModelWithAccessInfo.of(view) if view is not None else None


@router.get("/default/general", response_model=ModelWithAccessInfo | None)
async def default_general(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_slot(access, "general"))


@router.get("/default/small-fast", response_model=ModelWithAccessInfo | None)
async def default_small_fast(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_slot(access, "small_fast"))


@router.get("/default/visual", response_model=ModelWithAccessInfo | None)
async def default_visual(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_slot(access, "visual"))


@router.get("/default/compact", response_model=ModelWithAccessInfo | None)
async def default_compact(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_slot(access, "compact"))


@router.get("/default/embedding", response_model=ModelWithAccessInfo | None)
async def default_embedding(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_slot(access, "embedding"))


@router.get("/default/{model_provider}", response_model=ModelWithAccessInfo | None)
async def default_for_provider(
    model_provider: str, access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> ModelWithAccessInfo | None:
    return _or_none(await defaults.model_for_provider(access, model_provider))


@router.get("/user-default", response_model=list[UserDefaultWithModel])
async def list_user_defaults(
    access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> list[UserDefaultWithModel]:
    return [UserDefaultWithModel.of_view(v) for v in await defaults.list_defaults(access)]


@router.post("/user-default", response_model=UserDefaultModelResponse)
async def set_user_default(
    body: UserDefaultModelCreate, access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> UserDefaultModelResponse:
    return UserDefaultModelResponse.of(await defaults.set(access, body.model_id, body.config_type))


@router.get("/user-default/{config_type}", response_model=UserDefaultModelResponse | None)
async def get_user_default(
    config_type: ConfigType, access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> UserDefaultModelResponse | None:
    row = await defaults.get(access, config_type)
    return UserDefaultModelResponse.of(row) if row is not None else None


@router.delete("/user-default/{config_type}", response_model=Message)
async def delete_user_default(
    config_type: ConfigType, access: CurrentWorkspace, defaults: ModelDefaultServiceDep
) -> Message:
    await defaults.delete(access, config_type)
    return Message(message="Default configuration deleted successfully")
