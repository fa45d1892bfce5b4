"""`POST /ai/llm`: checklist items 2–7, the aiType mapping and the credential it stores."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from fastapi import FastAPI

from aiport.vault import aad
from tests.factories import Identities
from tests.surfaces.flashback.support import (
    API,
    OPENAI_SECRET,
    assert_error,
    create_llm,
    list_llms,
    llm_body,
    stored_provider,
)


async def test_create_returns_200_with_the_new_id_and_a_message(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    response = await client.post(API, headers=ids.admin.headers, json=llm_body())
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "success": True,
        "aiLlmId": body["aiLlmId"],
        "message": "AI LLM configuration created successfully",
    }
    provider = await stored_provider(app, body["aiLlmId"])
    assert (provider.workspace_id, provider.type, provider.enabled) == (1, "openai", True)
    assert (provider.display_name, provider.name) == ("My OpenAI Config", "my-openai-config")
    assert provider.base_url == "https://api.openai.com/v1"
    assert provider.created_by == ids.admin.user_id


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "Name is required"),
        ("aiType", "aiType is required"),
        ("endpoint", "Endpoint is required"),
        ("secret", "Secret is required"),
        ("workspaceId", "workspaceId is required"),
    ],
)
async def test_a_missing_required_field_is_400(
    client: httpx.AsyncClient, ids: Identities, field: str, message: str
) -> None:
    body = llm_body()
    del body[field]
    response = await client.post(API, headers=ids.admin.headers, json=body)
    assert_error(response, 400, message)
    assert await list_llms(client, ids.admin) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Name is required"),
        ("name", None, "Name is required"),
        ("endpoint", "", "Endpoint is required"),
        ("secret", "", "Secret is required"),
        ("name", "x" * 256, "Name must be at most 255 characters"),
        ("name", 42, "Name must be a string"),
    ],
)
async def test_an_empty_or_wrongly_typed_field_is_400(
    client: httpx.AsyncClient, ids: Identities, field: str, value: object, message: str
) -> None:
    response = await client.post(API, headers=ids.admin.headers, json=llm_body() | {field: value})
    assert_error(response, 400)
    assert message in response.json()["message"]


@pytest.mark.parametrize("ai_type", ["AZURE", "openai", "", "MISTRAL", 1])
async def test_an_unknown_ai_type_is_400(
    client: httpx.AsyncClient, ids: Identities, ai_type: object
) -> None:
    response = await client.post(API, headers=ids.admin.headers, json=llm_body(aiType=ai_type))
    assert_error(
        response, 400, "Invalid aiType: must be one of OPENAI, GOOGLE, ANTHROPIC, AWS, OTHER"
    )


@pytest.mark.parametrize(
    "endpoint",
    ["not a url", "api.openai.com/v1", "ftp://api.openai.com/v1", "/v1", "http://", "https://a b/"],
)
async def test_a_malformed_endpoint_is_400(
    client: httpx.AsyncClient, ids: Identities, endpoint: str
) -> None:
    response = await client.post(API, headers=ids.admin.headers, json=llm_body(endpoint=endpoint))
    assert_error(response, 400)
    assert response.json()["message"].startswith("Invalid endpoint URL: ")
    assert await list_llms(client, ids.admin) == []


async def test_a_duplicate_name_in_a_workspace_is_400_and_another_workspace_may_reuse_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await create_llm(client, ids.admin, name="Shared Name")
    again = await client.post(API, headers=ids.admin.headers, json=llm_body("  Shared Name "))
    assert_error(again, 400, "A configuration with this name already exists in this workspace")
    other = str(ids.other_workspace_id)
    elsewhere = await create_llm(client, ids.outsider, name="Shared Name", workspace_id=other)
    assert [c["id"] for c in await list_llms(client, ids.outsider)] == [elsewhere]
    # Case-sensitive, as F6 proposes: another casing is another name.
    await create_llm(client, ids.admin, name="shared name")
    assert sorted(c["name"] for c in await list_llms(client, ids.admin)) == [
        "Shared Name",
        "shared name",
    ]


@pytest.mark.parametrize(
    "workspace_id", ["other", "999", "workspace-123", "0", "1" * 30, "9" * 5000, 999]
)
async def test_a_workspace_the_caller_cannot_access_is_403(
    client: httpx.AsyncClient, ids: Identities, workspace_id: object
) -> None:
    target = str(ids.other_workspace_id) if workspace_id == "other" else workspace_id
    response = await client.post(
        API, headers=ids.admin.headers, json=llm_body() | {"workspaceId": target}
    )
    assert_error(response, 403, "Insufficient permissions")


async def test_workspace_id_may_be_sent_as_a_number(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        API, headers=ids.admin.headers, json=llm_body() | {"workspaceId": 1}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("ai_type", "provider_type"),
    [
        ("OPENAI", "openai"),
        ("GOOGLE", "google"),
        ("ANTHROPIC", "anthropic"),
        ("AWS", "bedrock"),
        ("OTHER", "openai-compat"),
    ],
)
async def test_ai_types_map_to_provider_types_and_back(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI, ai_type: str, provider_type: str
) -> None:
    llm_id = await create_llm(client, ids.admin, aiType=ai_type, key="AKIAEXAMPLEKEY000001")
    assert (await stored_provider(app, llm_id)).type == provider_type
    assert [c["aiType"] for c in await list_llms(client, ids.admin)] == [ai_type]


async def test_an_aws_key_and_secret_become_one_encrypted_credential(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    llm_id = await create_llm(
        client,
        ids.admin,
        aiType="AWS",
        endpoint="https://bedrock-runtime.eu-west-1.amazonaws.com",
        key="AKIAFLASHBACK0000001",
        secret="wJalrXUtnFEMI/K7MDENG/bPxRfiCYFLASHBACK1",
    )
    provider = await stored_provider(app, llm_id)
    (credential,) = provider.credentials
    assert credential.kind == "aws"
    assert credential.mask == "AKIA...0001"
    assert "wJalrXUtnFEMI" not in credential.ciphertext
    plaintext = app.state.runtime.keyring.decrypt(
        credential.ciphertext, aad("credentials", credential.id, "secret")
    )
    assert json.loads(plaintext) == {
        "access_key": "AKIAFLASHBACK0000001",
        "access_key_secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFLASHBACK1",
    }


async def test_aws_without_a_key_is_400(client: httpx.AsyncClient, ids: Identities) -> None:
    body = llm_body(aiType="AWS") | {"key": None}
    response = await client.post(API, headers=ids.admin.headers, json=body)
    assert_error(response, 400, "key (the AWS access key id) is required for aiType AWS")


async def test_the_key_of_a_non_aws_type_is_not_stored(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    llm_id = await create_llm(client, ids.admin, key="optional-access-key")
    (credential,) = (await stored_provider(app, llm_id)).credentials
    assert credential.kind == "api_key"
    secret = app.state.runtime.keyring.decrypt(
        credential.ciphertext, aad("credentials", credential.id, "secret")
    )
    assert secret == OPENAI_SECRET


async def test_slugs_are_derived_from_names_and_kept_unique(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    coder = await client.post(
        "/api/v2/ai/providers",
        headers=ids.admin.headers,
        json={"type": "openai", "name": "team-gpt", "base_url": "https://api.openai.com/v1"},
    )
    assert coder.status_code == 201
    first = await create_llm(client, ids.admin, name="Team GPT")
    second = await create_llm(client, ids.admin, name="team  gpt!")
    unicode = await create_llm(client, ids.admin, name="日本語", aiType="ANTHROPIC")
    names = [(await stored_provider(app, i)).name for i in (first, second, unicode)]
    assert names == ["team-gpt-2", "team-gpt-3", "anthropic"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"name": ', "Request body must be valid JSON"),
        (b"[1, 2]", "Request body must be a JSON object"),
        (b"", "Request body is required"),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_400(
    client: httpx.AsyncClient, ids: Identities, content: bytes, message: str
) -> None:
    headers = ids.admin.headers | {"content-type": "application/json"}
    response = await client.post(API, headers=headers, content=content)
    assert_error(response, 400, message)


async def test_an_api_key_uuid_is_ignored(client: httpx.AsyncClient, ids: Identities) -> None:
    body = llm_body() | {"apiKeyUuid": str(uuid.uuid4())}
    response = await client.post(API, headers=ids.admin.headers, json=body)
    assert response.status_code == 200, response.text
    (listed,) = await list_llms(client, ids.admin)
    assert "apiKeyId" not in listed


async def test_a_name_shown_by_a_provider_made_elsewhere_is_taken(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    for body in (
        {"type": "openai", "name": "gpt", "base_url": "https://api.openai.com/v1"},
        {
            "type": "openai",
            "name": "team",
            "display_name": "Team GPT",
            "base_url": "https://api.openai.com/v1",
        },
    ):
        made = await client.post("/api/v2/ai/providers", headers=ids.admin.headers, json=body)
        assert made.status_code == 201
    for name in ("gpt", "Team GPT"):
        response = await client.post(API, headers=ids.admin.headers, json=llm_body(name))
        assert_error(
            response, 400, "A configuration with this name already exists in this workspace"
        )
    assert sorted(c["name"] for c in await list_llms(client, ids.admin)) == ["Team GPT", "gpt"]
