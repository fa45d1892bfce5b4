"""`/api/v2/ai/providers`: Coder's routes over the providers service.

Coder has no workspaces: the request acts in the workspace the AIPort-Workspace header, the
token's binding or the user's first membership names; its "site owner" is that workspace's
admin. Bodies are read raw and decoded the Go way (never by FastAPI), so the order of errors is
Coder's: 400 for the body, then the idOrName syntax, then 403, then 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from aiport.providers.schemas import ProviderRef
from aiport.surfaces.coder.decoding import parse_go_uuid
from aiport.surfaces.coder.dependencies import (
    CoderProviderLists,
    CoderProviderService,
    CurrentRenderings,
)
from aiport.surfaces.coder.responses import GoJSONResponse
from aiport.surfaces.coder.schemas import (
    CODER_TYPES,
    decode_create,
    decode_update,
    render_provider,
)

router = APIRouter(prefix="/api/v2/ai/providers", tags=["coder"])
IdOrName = Annotated[str, Path(alias="idOrName", description="Provider ID or name")]
_JSON_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def provider_ref(id_or_name: str) -> ProviderRef:
    """A UUID in one of the forms Go's uuid.Parse accepts is an id; anything else a name."""
    try:
        return parse_go_uuid(id_or_name)
    except ValueError:
        return id_or_name


@router.get("", response_class=GoJSONResponse, summary="List AI providers")
@router.get("/", include_in_schema=False)
async def list_providers(lists: CoderProviderLists, renderings: CurrentRenderings) -> Response:
    body = await renderings.provider_list(lists)
    return Response(body, media_type=GoJSONResponse.media_type)


@router.post(
    "",
    status_code=201,
    response_class=GoJSONResponse,
    summary="Create an AI provider",
    openapi_extra=_JSON_BODY,
)
@router.post("/", status_code=201, include_in_schema=False)
async def create_provider(request: Request, service: CoderProviderService) -> Response:
    provider = await service.create(decode_create(await request.body()), allowed_types=CODER_TYPES)
    return GoJSONResponse(render_provider(provider), status_code=201)


@router.get("/{idOrName}", response_class=GoJSONResponse, summary="Get an AI provider")
@router.get("/{idOrName}/", include_in_schema=False)
async def get_provider(id_or_name: IdOrName, service: CoderProviderService) -> Response:
    provider = await service.get(provider_ref(id_or_name), require_admin=True)
    return GoJSONResponse(render_provider(provider))


@router.patch(
    "/{idOrName}",
    response_class=GoJSONResponse,
    summary="Update an AI provider",
    openapi_extra=_JSON_BODY,
)
@router.patch("/{idOrName}/", include_in_schema=False)
async def update_provider(
    id_or_name: IdOrName, request: Request, service: CoderProviderService
) -> Response:
    provider = await service.update(provider_ref(id_or_name), decode_update(await request.body()))
    return GoJSONResponse(render_provider(provider))


@router.delete("/{idOrName}", status_code=204, summary="Delete an AI provider")
@router.delete("/{idOrName}/", status_code=204, include_in_schema=False)
async def delete_provider(id_or_name: IdOrName, service: CoderProviderService) -> Response:
    await service.delete(provider_ref(id_or_name))
    return Response(status_code=204)
