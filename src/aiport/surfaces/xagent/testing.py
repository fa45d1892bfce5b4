"""Xagent's routes that call providers: connection tests and model discovery."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, SecretStr

from aiport.checks.schemas import ModelRead
from aiport.models.dependencies import ModelCheckServiceDep, ModelDiscoveryServiceDep
from aiport.surfaces.xagent.schemas import (
    ModelConnectionTestRequest,
    ModelTestRequest,
    ModelTestResponse,
)
from aiport.workspaces.dependencies import CurrentWorkspace, get_workspace_access

# Every route here waits on a provider: the caller is settled in a short unit of work of its
# own (`CurrentWorkspace`), and no request transaction (on SQLite, the write lock) is held.
router = APIRouter()
# Routes that act in no workspace still need a signed-in member of one.
SignedIn = Depends(get_workspace_access)


class ProviderModelsRequest(BaseModel):
    api_key: SecretStr | None = None
    base_url: str | None = None


def _listed(models: list[ModelRead]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "name": m.display_name or m.id,
            "owned_by": m.owned_by,
            "context_window": m.context_window,
        }
        for m in models
    ]


@router.post("/test-connection", response_model=ModelTestResponse, dependencies=[SignedIn])
async def run_connection_test(
    body: ModelConnectionTestRequest, tests: ModelCheckServiceDep
) -> ModelTestResponse:
    return ModelTestResponse.of(await tests.check_connection(body.to_domain()))


@router.post("/test", response_model=list[ModelTestResponse])
async def run_model_tests(
    access: CurrentWorkspace,
    tests: ModelCheckServiceDep,
    body: Annotated[ModelTestRequest | None, Body()] = None,
) -> list[ModelTestResponse]:
    model_ids = body.model_ids if body is not None else None
    return [ModelTestResponse.of(r) for r in await tests.check_saved(access, model_ids)]


@router.post("/providers/fetch")
async def fetch_provider_models(
    body: Annotated[list[str], Body()],
    access: CurrentWorkspace,
    discovery: ModelDiscoveryServiceDep,
) -> dict[str, dict[str, Any]]:
    results = await discovery.list_with_stored_keys(access, body)
    return {
        "results": {
            provider: {"error": r.error, "models": []}
            if r.error
            else {"models": _listed(r.models), "count": len(r.models)}
            for provider, r in results.items()
        }
    }


@router.post("/providers/{provider}/models", dependencies=[SignedIn])
async def provider_models(
    provider: str, body: ProviderModelsRequest, discovery: ModelDiscoveryServiceDep
) -> dict[str, Any]:
    key = body.api_key.get_secret_value().strip() if body.api_key else ""
    models = await discovery.list_with_key(provider, key, body.base_url)
    return {"provider": provider, "models": _listed(models), "count": len(models)}


# Xagent serves this without a token; aiport asks for one, since it fetches the URL it is given.
@router.get("/xinference/tts-models", dependencies=[SignedIn])
async def xinference_speech_models(
    discovery: ModelDiscoveryServiceDep,
    base_url: Annotated[str, Query(min_length=1)],
    api_key: str = "",
) -> dict[str, Any]:
    models = await discovery.speech_models(base_url, api_key.strip())
    return {
        "models": [{"id": m.id, "abilities": m.abilities} for m in models],
        "count": len(models),
    }
