"""`GET /api/v1/workspaces/{id}/providers`: members see masked credentials and their checks."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import Credential
from aiport.db.types import utcnow
from tests.factories import Identities

CODER = "/api/v2/ai/providers"
KEY = "sk-native-listing-0123456789abcdef"


async def _arrange(client: httpx.AsyncClient, ids: Identities) -> dict[str, object]:
    owner = {"Coder-Session-Token": ids.admin.token}
    created = await client.post(
        CODER,
        headers=owner,
        json={
            "type": "openai",
            "name": "openai-main",
            "display_name": "Main",
            "base_url": "https://api.openai.com/v1",
            "api_keys": [KEY, "sk-second-key-000000"],
        },
    )
    assert created.status_code == 201
    gone = await client.post(
        CODER, headers=owner, json={"type": "openai", "name": "gone", "base_url": "https://x.test"}
    )
    await client.delete(f"{CODER}/{gone.json()['id']}", headers=owner)
    body: dict[str, object] = created.json()
    return body


async def test_member_sees_providers_with_masked_credentials_and_their_check_status(
    client: httpx.AsyncClient, ids: Identities, session: AsyncSession
) -> None:
    created = await _arrange(client, ids)
    first_key = uuid.UUID(created["api_keys"][0]["id"])  # type: ignore[index]
    await session.execute(
        update(Credential)
        .where(Credential.id == first_key)
        .values(status="invalid", status_message="401 from upstream", checked_at=utcnow())
    )
    await session.commit()
    response = await client.get("/api/v1/workspaces/1/providers", headers=ids.member.headers)
    assert response.status_code == 200
    [provider] = response.json()
    assert (provider["name"], provider["display_name"], provider["type"]) == (
        "openai-main",
        "Main",
        "openai",
    )
    assert provider["check_status"] == "unchecked"
    first, second = provider["credentials"]
    assert (first["kind"], first["mask"], first["status"], first["status_message"]) == (
        "api_key",
        "sk-n...cdef",
        "invalid",
        "401 from upstream",
    )
    assert first["checked_at"] is not None
    assert (second["mask"], second["status"], second["checked_at"]) == (
        "sk-s...0000",
        "unchecked",
        None,
    )
    assert KEY.encode() not in response.content
    assert "ciphertext" not in response.text


async def test_bedrock_settings_are_listed_without_the_aws_secret(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    owner = {"Coder-Session-Token": ids.admin.token}
    await client.post(
        CODER,
        headers=owner,
        json={
            "type": "bedrock",
            "name": "bedrock",
            "base_url": "https://bedrock-runtime.us-east-1.amazonaws.com",
            "settings": {
                "_type": "bedrock",
                "_version": 1,
                "region": "us-east-1",
                "access_key": "AKIANATIVE000000",
                "access_key_secret": "native-aws-secret-value",
            },
        },
    )
    response = await client.get("/api/v1/workspaces/1/providers", headers=ids.member.headers)
    [provider] = response.json()
    assert provider["settings"] == {"bedrock": {"region": "us-east-1"}}
    assert [(c["kind"], c["mask"]) for c in provider["credentials"]] == [("aws", "AK...00")]
    assert b"native-aws-secret-value" not in response.content


async def test_non_member_gets_404(client: httpx.AsyncClient, ids: Identities) -> None:
    await _arrange(client, ids)
    response = await client.get("/api/v1/workspaces/1/providers", headers=ids.outsider.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_unknown_workspace_gets_404(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.get("/api/v1/workspaces/424242/providers", headers=ids.member.headers)
    assert response.status_code == 404


async def test_no_token_gets_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/workspaces/1/providers")
    assert response.status_code == 401


async def test_each_workspace_lists_only_its_own(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await _arrange(client, ids)
    own = f"/api/v1/workspaces/{ids.other_workspace_id}/providers"
    response = await client.get(own, headers=ids.outsider.headers)
    assert response.status_code == 200
    assert response.json() == []
