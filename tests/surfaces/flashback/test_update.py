"""`PUT /ai/llm/{id}`: checklist items 13–15, the name rule on rename and the type mapping."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.surfaces.flashback.support import (
    API,
    assert_error,
    create_llm,
    list_llms,
    stored_provider,
)


async def test_a_partial_update_changes_only_the_fields_sent(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    llm_id = await create_llm(client, ids.admin)
    before = (await list_llms(client, ids.admin))[0]
    credential_before = (await stored_provider(app, llm_id)).credentials[0].id
    response = await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Renamed"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "aiLlmId": llm_id,
        "message": "AI LLM configuration updated successfully",
    }
    after = (await list_llms(client, ids.admin))[0]
    assert after == before | {"name": "Renamed"}
    provider = await stored_provider(app, llm_id)
    # The slug routes gateway calls: it stays when the name changes.
    assert provider.name == "my-openai-config"
    assert [c.id for c in provider.credentials] == [credential_before]

    endpoint = await client.put(
        f"{API}/{llm_id}",
        headers=ids.admin.headers,
        json={"endpoint": "https://proxy.example.com/v1", "name": None, "secret": None},
    )
    assert endpoint.status_code == 200
    assert (await list_llms(client, ids.admin))[0] == after | {
        "endpoint": "https://proxy.example.com/v1"
    }


async def test_a_new_secret_replaces_the_old_one_and_the_next_validation_uses_it(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, app: FastAPI
) -> None:
    fake = await fake_provider("openai")
    llm_id = await create_llm(
        client, ids.admin, endpoint=fake.target.base_url, secret=fake.bad_plaintext
    )
    failed = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert failed.json()["success"] is False
    updated = await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"secret": fake.good_plaintext}
    )
    assert updated.status_code == 200
    (credential,) = (await stored_provider(app, llm_id)).credentials
    assert credential.mask.endswith(fake.good_plaintext[-4:])
    validated = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert validated.json()["success"] is True
    keys = [r.headers["authorization"] for r in fake.server.requests]
    assert keys == [f"Bearer {fake.bad_plaintext}", f"Bearer {fake.good_plaintext}"]


async def test_changing_the_secret_or_endpoint_makes_the_configuration_unavailable_again(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    fake = await fake_provider("openai")
    llm_id = await create_llm(
        client, ids.admin, endpoint=fake.target.base_url, secret=fake.good_plaintext
    )
    await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert len(await list_llms(client, ids.admin, f"{API}/available")) == 1
    await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Renamed"})
    assert len(await list_llms(client, ids.admin, f"{API}/available")) == 1
    await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"secret": fake.good_plaintext + "x"}
    )
    assert await list_llms(client, ids.admin, f"{API}/available") == []


async def test_an_aws_secret_alone_keeps_the_stored_access_key(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, app: FastAPI
) -> None:
    fake = await fake_provider("bedrock")
    access_key, secret_key = fake.good.values()
    llm_id = await create_llm(
        client,
        ids.admin,
        aiType="AWS",
        endpoint=fake.target.base_url,
        key=access_key,
        secret="not-the-secret-key",
    )
    response = await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"secret": secret_key}
    )
    assert response.status_code == 200
    (credential,) = (await stored_provider(app, llm_id)).credentials
    assert credential.kind == "aws"
    validated = await client.post(f"{API}/{llm_id}/validate", headers=ids.admin.headers)
    assert validated.json()["success"] is True, validated.json()


async def test_a_rename_to_a_taken_name_is_400(client: httpx.AsyncClient, ids: Identities) -> None:
    await create_llm(client, ids.admin, name="Taken")
    llm_id = await create_llm(client, ids.admin, name="Free")
    response = await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Taken"}
    )
    assert_error(response, 400, "A configuration with this name already exists in this workspace")
    same = await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "Free"})
    assert same.status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": ""}, "Name cannot be empty"),
        ({"secret": ""}, "Secret cannot be empty"),
        ({"key": ""}, "Key cannot be empty"),
        (
            {"aiType": "AZURE"},
            "Invalid aiType: must be one of OPENAI, GOOGLE, ANTHROPIC, AWS, OTHER",
        ),
        ({"endpoint": "nope"}, None),
        ({}, "Nothing to update: send at least one of name, aiType, endpoint, key, secret"),
        (
            {"secret": " sk-padded "},
            "Invalid secret: secret must not contain leading or trailing whitespace",
        ),
    ],
)
async def test_an_invalid_update_is_400_and_changes_nothing(
    client: httpx.AsyncClient, ids: Identities, body: dict[str, object], message: str | None
) -> None:
    llm_id = await create_llm(client, ids.admin)
    before = await list_llms(client, ids.admin)
    response = await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json=body)
    assert_error(response, 400, message)
    if message is None:
        assert response.json()["message"].startswith("Invalid endpoint URL: ")
    assert await list_llms(client, ids.admin) == before


async def test_ai_type_changes_between_key_based_types(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    llm_id = await create_llm(client, ids.admin)
    response = await client.put(
        f"{API}/{llm_id}", headers=ids.admin.headers, json={"aiType": "OTHER"}
    )
    assert response.status_code == 200
    assert (await stored_provider(app, llm_id)).type == "openai-compat"
    assert (await list_llms(client, ids.admin))[0]["aiType"] == "OTHER"
    to_aws = await client.put(
        f"{API}/{llm_id}",
        headers=ids.admin.headers,
        json={"aiType": "AWS", "key": "AKIAEXAMPLE", "secret": "s"},
    )
    assert_error(
        to_aws, 400, "aiType cannot change to or from AWS; create a new configuration instead"
    )
    assert (await stored_provider(app, llm_id)).type == "openai-compat"


async def test_sending_back_the_shown_ai_type_keeps_a_type_flashback_does_not_name(
    client: httpx.AsyncClient, ids: Identities, app: FastAPI
) -> None:
    made = await client.post(
        "/api/v2/ai/providers",
        headers=ids.admin.headers,
        json={"type": "openrouter", "name": "router", "base_url": "https://openrouter.ai/api/v1"},
    )
    llm_id = made.json()["id"]
    (shown,) = await list_llms(client, ids.admin)
    assert shown["aiType"] == "OTHER"
    response = await client.put(
        f"{API}/{llm_id}",
        headers=ids.admin.headers,
        json={k: shown[k] for k in ("name", "aiType", "endpoint")},
    )
    assert response.status_code == 200
    assert (await stored_provider(app, llm_id)).type == "openrouter"


@pytest.mark.parametrize("llm_id", [str(uuid.uuid4()), "not-a-uuid", "550e8400"])
async def test_updating_an_unknown_id_is_404(
    client: httpx.AsyncClient, ids: Identities, llm_id: str
) -> None:
    response = await client.put(f"{API}/{llm_id}", headers=ids.admin.headers, json={"name": "X"})
    assert_error(response, 404, "AI LLM configuration not found")


async def test_updating_a_configuration_in_an_inaccessible_workspace_is_404(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    theirs = await create_llm(client, ids.outsider, workspace_id=str(ids.other_workspace_id))
    response = await client.put(f"{API}/{theirs}", headers=ids.admin.headers, json={"name": "Mine"})
    assert_error(response, 404, "AI LLM configuration not found")
    assert (await list_llms(client, ids.outsider))[0]["name"] == "My OpenAI Config"
