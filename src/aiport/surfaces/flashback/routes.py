"""Flashback's `/ai/llm` routes over the providers, checks and usage of aiport's store.

Mapping decisions (the spec leaves them to us):
- Reading (list, `/available`, stats) needs membership of the workspace; creating, updating,
  deleting and validating need its admin role (members get 403, as Flashback documents for
  "insufficient permissions").
- A workspace named by `workspaceId` that the caller cannot access is 403 (Flashback's status);
  a configuration id in such a workspace is 404, like an unknown one (ids cannot be probed).
- DELETE is the providers service's delete: a soft delete that hides the provider everywhere
  (every surface, the gateway) and leaves its credentials unusable. Flashback's "in use by a
  repository → 403" does not apply: aiport has no repositories (`repos` is always []).
- `/available` = enabled configurations whose last check found a working credential.
- `apiKeyUuid` is ignored (aiport has no separately stored provider keys); `apiKeyId` is
  never shown. `key` is used for AWS only (the access key id) and dropped for other types.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from aiport.auth.dependencies import CurrentPrincipal
from aiport.checks.dependencies import Checks
from aiport.db.session import DbSession
from aiport.providers.usage import usage_of
from aiport.surfaces.flashback.dependencies import (
    Accessible,
    CheckInPath,
    ConfigInPath,
    Counted,
    Listed,
    workspace_service,
)
from aiport.surfaces.flashback.schemas import (
    DELETED,
    PROVIDER_TYPES,
    AiLlmCreate,
    AiLlmUpdate,
    CreateResponse,
    ListResponse,
    MessageResponse,
    StatsResponse,
    UpdateResponse,
)

router = APIRouter(prefix="/ai/llm", tags=["flashback ai llm"])


@router.post("", summary="Create an AI LLM configuration")
async def create_llm(
    body: AiLlmCreate, request: Request, session: DbSession, principal: CurrentPrincipal
) -> CreateResponse:
    service = await workspace_service(request, session, principal, body.workspaceId)
    provider = await service.create(
        body.to_domain(), allowed_types=PROVIDER_TYPES, by_display_name=True
    )
    return CreateResponse(aiLlmId=str(provider.id))


@router.get("", summary="List accessible AI LLM configurations")
async def list_llms(configs: Listed) -> ListResponse:
    return ListResponse.of(await configs.read())


# Fixed paths before `/{id}`.
@router.get("/available", summary="AI LLM configurations ready for use")
async def available_llms(configs: Accessible) -> ListResponse:
    return ListResponse.of([p for p in await configs.read() if p.is_ready])


@router.get("/stats", summary="Usage statistics per configuration")
async def llm_stats(configs: Counted, session: DbSession) -> StatsResponse:
    return StatsResponse.of(await usage_of(session, await configs.read()))


@router.put("/{id}", summary="Update an AI LLM configuration")
async def update_llm(body: AiLlmUpdate, config: ConfigInPath) -> UpdateResponse:
    current = await config.service.get(config.id)
    provider = await config.service.update(config.id, body.to_domain(current), by_display_name=True)
    return UpdateResponse(aiLlmId=str(provider.id))


@router.delete("/{id}", summary="Delete an AI LLM configuration")
async def delete_llm(config: ConfigInPath) -> MessageResponse:
    await config.service.delete(config.id)
    return MessageResponse(success=True, message=DELETED)


@router.post("/{id}/validate", summary="Check the configuration's credentials with the provider")
async def validate_llm(target: CheckInPath, checks: Checks) -> MessageResponse:
    """200 whenever the check ran; `success` says whether the provider accepted the credentials."""
    check = await checks.check_provider(target.principal, target.workspace_id, target.name)
    return MessageResponse.of_check(check)
