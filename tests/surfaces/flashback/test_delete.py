"""`DELETE /ai/llm/{id}`: checklist items 16 and 18; the delete is the providers service's."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Identities
from tests.surfaces.flashback.support import (
    API,
    assert_error,
    create_llm,
    list_llms,
    stored_provider,
)


async def test_a_deleted_configuration_disappears_from_every_list(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    llm_id = await create_llm(client, ids.admin)
    kept = await create_llm(client, ids.admin, name="Kept")
    response = await client.delete(f"{API}/{llm_id}", headers=ids.admin.headers)
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "message": "AI LLM configuration deleted successfully",
    }
    assert [c["id"] for c in await list_llms(client, ids.admin)] == [kept]
    assert [c["id"] for c in await list_llms(client, ids.admin, workspaceId="1")] == [kept]
    stats = await client.get(f"{API}/stats", headers=ids.admin.headers)
    assert [s["aiLlmId"] for s in stats.json()["stats"]] == [kept]
    coder = await client.get("/api/v2/ai/providers", headers=ids.admin.headers)
    assert [p["id"] for p in coder.json()] == [kept]
    # Soft-deleted: kept for history, switched off, its name free again.
    assert (await stored_provider(app, llm_id)).deleted_at is not None
    again = await create_llm(client, ids.admin)
    assert again != llm_id


async def test_a_deleted_configuration_cannot_be_deleted_updated_or_validated_again(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm_id = await create_llm(client, ids.admin)
    await client.delete(f"{API}/{llm_id}", headers=ids.admin.headers)
    for response in (
        await client.delete(f"{API}/{llm_id}", headers=ids.admin.headers),
        await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Back"}),
        await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers),
        await client.get(f"{API}/stats", headers=ids.admin.headers, params={"aiLlmId": llm_id}),
    ):
        assert_error(response, 404, "AI LLM configuration not found")


@pytest.mark.parametrize("llm_id", [str(uuid.uuid4()), "nope"])
async def test_deleting_an_unknown_id_is_404(
    client: httpx.AsyncClient, ids: Identities, llm_id: str
) -> None:
    response = await client.delete(f"{API}/{llm_id}", headers=ids.admin.headers)
    assert_error(response, 404, "AI LLM configuration not found")
