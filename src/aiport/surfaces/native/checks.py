"""Native routes that ask a provider: check its credentials, list its models."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from aiport.auth.dependencies import CurrentPrincipal
from aiport.checks.dependencies import Checks
from aiport.checks.schemas import ModelRead, ProviderCheckRead
from aiport.surfaces.native.dependencies import PathId

router = APIRouter(prefix="/api/v1/workspaces/{workspace_id}/providers", tags=["providers"])

ProviderName = Annotated[str, Path(min_length=1, max_length=200)]


@router.post("/{name}/check")
async def check_provider(
    workspace_id: PathId, name: ProviderName, principal: CurrentPrincipal, checks: Checks
) -> ProviderCheckRead:
    """Check every credential against the provider (workspace admins)."""
    return await checks.check_provider(principal, workspace_id, name)


@router.get("/{name}/models")
async def list_provider_models(
    workspace_id: PathId,
    name: ProviderName,
    principal: CurrentPrincipal,
    checks: Checks,
    response: Response,
    refresh: Annotated[bool, Query(description="ask the provider even if cached")] = False,
) -> list[ModelRead]:
    """The provider's discovered models (members too). `Age` says how old the list is; a list
    served from the cache because the provider just failed also carries
    `X-AIPort-Models-Stale: true` and the reason in `X-AIPort-Models-Error`."""
    listing = await checks.list_models(principal, workspace_id, name, refresh=refresh)
    response.headers["Age"] = str(listing.age_seconds)
    response.headers["X-AIPort-Models-Fetched-At"] = listing.fetched_at.isoformat()
    if listing.stale and listing.error:
        response.headers["X-AIPort-Models-Stale"] = "true"
        response.headers["X-AIPort-Models-Error"] = listing.error.encode(
            "ascii", "replace"
        ).decode()
    return listing.models
