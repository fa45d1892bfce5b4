"""Xagent's metadata routes: distinct lists and counts, supported providers, public listings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from aiport.models import catalog
from aiport.models.dependencies import ModelServiceDep
from aiport.models.schemas import ModelSummary, PublicModel
from aiport.runtime import Runtime, get_runtime
from aiport.workspaces.dependencies import CurrentWorkspace

router = APIRouter()

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# The public summary always counts these, even at zero (as Xagent does).
PUBLIC_SUMMARY_CATEGORIES = ("llm", "embedding", "rerank", "image")
# Example model names shown by `/types/available`.
_EXAMPLES = {
    "openai": ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"],
    "claude": ["claude-sonnet-4-5", "claude-haiku-4-5"],
    "gemini": ["gemini-2.5-pro", "gemini-2.5-flash"],
    "xinference": ["qwen2.5-instruct", "bge-m3"],
    "dashscope": ["qwen-max", "qwen-plus", "text-embedding-v3"],
    "zhipu": ["glm-4-plus", "embedding-3"],
    "deepseek": list(catalog.DEEPSEEK_MODELS),
}


@router.get("/categories")
async def categories(access: CurrentWorkspace, models: ModelServiceDep) -> dict[str, list[str]]:
    return {"categories": await models.categories(access)}


@router.get("/providers")
async def providers(access: CurrentWorkspace, models: ModelServiceDep) -> dict[str, list[str]]:
    return {"providers": await models.model_providers(access)}


@router.get("/abilities")
async def abilities(access: CurrentWorkspace, models: ModelServiceDep) -> dict[str, list[str]]:
    return {"abilities": await models.abilities(access)}


@router.get("/summary")
async def summary(access: CurrentWorkspace, models: ModelServiceDep) -> dict[str, Any]:
    counts = await models.summary(access)
    return {
        "total_models": counts.total_models,
        "by_category": counts.by_category,
        "by_provider": counts.by_provider,
    }


@router.get("/providers/supported")
async def supported_providers() -> dict[str, list[dict[str, Any]]]:
    """Static: needs no token, as in Xagent."""
    listed = []
    for known in catalog.KNOWN_PROVIDERS:
        entry: dict[str, Any] = {
            "id": known.id,
            "name": known.name,
            "description": known.description,
            "requires_base_url": known.requires_base_url,
        }
        if known.default_base_url:
            entry["default_base_url"] = known.default_base_url
        if known.compatibility:
            entry["compatibility"] = known.compatibility
        listed.append(entry)
    return {"providers": listed}


@router.get("/types/available")
async def available_types() -> dict[str, list[dict[str, Any]]]:
    return {
        "model_providers": [
            {
                "type": known.id,
                "name": known.name,
                "description": known.description,
                "examples": _EXAMPLES.get(known.id, []),
            }
            for known in catalog.KNOWN_PROVIDERS
        ]
    }


def _public_entry(model: PublicModel) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": model.id,
        "model_id": model.model_id,
        "category": model.category,
        "model_provider": model.model_provider,
        "model_name": model.model_name,
        "abilities": model.abilities,
        "description": model.description,
    }
    if model.category == "llm":
        entry["temperature"] = model.temperature
        entry["max_tokens"] = None
    elif model.category == "embedding":
        entry["dimension"] = model.dimension
    return entry


@router.get("/public/list")
async def public_list(
    runtime: RuntimeDep,
    models: ModelServiceDep,
    category: str | None = None,
    provider: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    rows = await models.public_models(
        runtime.settings.xagent_public_workspace,
        category=category,
        model_provider=provider,
        limit=limit,
    )
    return {"models": [_public_entry(m) for m in rows], "count": len(rows)}


@router.get("/public/categories")
async def public_categories(runtime: RuntimeDep, models: ModelServiceDep) -> dict[str, list[str]]:
    rows = await models.public_models(runtime.settings.xagent_public_workspace)
    return {"categories": sorted({m.category for m in rows})}


@router.get("/public/providers")
async def public_providers(runtime: RuntimeDep, models: ModelServiceDep) -> dict[str, list[str]]:
    rows = await models.public_models(runtime.settings.xagent_public_workspace)
    return {"providers": sorted({m.model_provider for m in rows})}


@router.get("/public/summary")
async def public_summary(runtime: RuntimeDep, models: ModelServiceDep) -> dict[str, Any]:
    rows = await models.public_models(runtime.settings.xagent_public_workspace)
    counts = ModelSummary.of(rows, always=PUBLIC_SUMMARY_CATEGORIES)
    return {
        "total_models": counts.total_models,
        "by_category": counts.by_category,
        "by_provider": counts.by_provider,
    }
