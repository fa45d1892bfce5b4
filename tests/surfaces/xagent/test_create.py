"""Registering a model (spec checklist 2–10, 12): `POST /api/models/register` and `POST /api/models/`."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from tests.factories import Identities, model_body, register_model, unique_model_id
from tests.surfaces.xagent.support import BASE, MODEL_KEYS


async def test_register_returns_the_17_keys_and_never_the_api_key(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    body = model_body(description="Main chat model", temperature=0.7)
    response = await client.post(f"{BASE}/register", json=body, headers=ids.member.headers)
    assert response.status_code == 200
    created = response.json()
    assert set(created) == MODEL_KEYS
    assert body["api_key"] not in response.text
    assert created["model_id"] == body["model_id"]
    assert created["description"] == "Main chat model"


async def test_post_to_the_collection_root_creates_too(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(f"{BASE}/", json=model_body(), headers=ids.member.headers)
    assert response.status_code == 200
    assert set(response.json()) == MODEL_KEYS


async def test_a_new_model_is_active_owned_and_never_updated(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await register_model(client, ids.member.headers)
    assert created["is_active"] is True
    assert (created["is_owner"], created["can_edit"], created["can_delete"]) == (True, True, True)
    assert created["is_shared"] is False
    assert created["updated_at"] is None
    assert datetime.fromisoformat(created["created_at"]).utcoffset() is not None
    assert created["created_at"].endswith("+00:00")


async def test_category_defaults_to_llm(client: httpx.AsyncClient, ids: Identities) -> None:
    assert (await register_model(client, ids.member.headers))["category"] == "llm"


@pytest.mark.parametrize(
    ("model_provider", "expected"),
    [
        ("openai", "https://api.openai.com/v1"),
        ("dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1"),
        ("zhipu", "https://open.bigmodel.cn/api/paas/v4"),
        ("zai-coding-plan", "https://api.z.ai/api/coding/paas/v4"),
        ("zhipuai-coding-plan", "https://open.bigmodel.cn/api/coding/paas/v4"),
        ("alibaba-coding-plan", "https://coding-intl.dashscope.aliyuncs.com/v1"),
        ("alibaba-coding-plan-cn", "https://coding.dashscope.aliyuncs.com/v1"),
        ("minimax-coding-plan", "https://api.minimax.io/anthropic"),
        ("minimax-cn-coding-plan", "https://api.minimaxi.com/anthropic"),
        ("kimi-for-coding", "https://api.kimi.com/coding"),
        ("claude", None),
        ("xinference", None),
        ("my-own-server", None),
    ],
)
async def test_an_omitted_base_url_gets_the_providers_default(
    client: httpx.AsyncClient, ids: Identities, model_provider: str, expected: str | None
) -> None:
    created = await register_model(client, ids.member.headers, model_provider=model_provider)
    assert created["base_url"] == expected


async def test_a_given_base_url_is_kept(client: httpx.AsyncClient, ids: Identities) -> None:
    created = await register_model(
        client, ids.member.headers, base_url="  https://proxy.example/v1 "
    )
    assert created["base_url"] == "https://proxy.example/v1"
    stored = await client.get(f"{BASE}/{created['model_id']}", headers=ids.member.headers)
    assert stored.json()["base_url"] == "https://proxy.example/v1"


async def test_model_id_and_model_name_are_stored_stripped(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    model_id = unique_model_id()
    created = await register_model(
        client, ids.member.headers, model_id=f"  {model_id}\t", model_name=" gpt-4o "
    )
    assert (created["model_id"], created["model_name"]) == (model_id, "gpt-4o")
    fetched = await client.get(f"{BASE}/{model_id}", headers=ids.member.headers)
    assert fetched.json()["model_name"] == "gpt-4o"


async def test_model_provider_is_lowercased_and_underscore_aliases_are_mapped(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    assert (await register_model(client, ids.member.headers, model_provider="OpenAI"))[
        "model_provider"
    ] == ("openai")
    created = await register_model(client, ids.member.headers, model_provider="zai_coding_plan")
    assert created["model_provider"] == "zai-coding-plan"
    assert created["base_url"] == "https://api.z.ai/api/coding/paas/v4"


async def test_a_duplicate_model_id_is_400_even_when_another_user_owns_it(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    first = await register_model(client, ids.member.headers)
    response = await client.post(
        f"{BASE}/register",
        json=model_body(model_id=first["model_id"]),
        headers=ids.admin.headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Model ID already exists"}


async def test_the_same_model_id_may_exist_in_another_workspace(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    """Uniqueness is per workspace, so one tenant cannot probe another's identifiers."""
    first = await register_model(client, ids.member.headers)
    created = await register_model(client, ids.outsider.headers, model_id=first["model_id"])
    assert created["model_id"] == first["model_id"]


@pytest.mark.parametrize(
    ("category", "abilities", "status"),
    [
        ("embedding", ["chat"], 422),
        ("embedding", [], 422),
        ("embedding", ["embedding"], 200),
        ("image", ["generate", "edit"], 200),
        ("image", ["chat"], 422),
        ("image", [], 422),
        ("speech", ["asr", "tts"], 200),
        ("speech", ["generate"], 422),
        ("rerank", ["rerank"], 200),
        ("rerank", ["embedding"], 422),
        ("llm", ["chat", "vision", "anything-at-all"], 200),
        ("llm", [], 200),
    ],
)
async def test_abilities_are_validated_against_the_category(
    client: httpx.AsyncClient,
    ids: Identities,
    category: str,
    abilities: list[str],
    status: int,
) -> None:
    response = await client.post(
        f"{BASE}/register",
        json=model_body(category=category, abilities=abilities),
        headers=ids.member.headers,
    )
    assert response.status_code == status, response.text
    if status == 422:
        detail = response.json()["detail"]
        assert isinstance(detail, list)
        assert detail[0]["type"] == "value_error"
        assert category.capitalize() in detail[0]["msg"] or category in detail[0]["msg"]
    else:
        assert response.json()["abilities"] == abilities


async def test_a_wrong_ability_message_names_the_valid_ones(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        f"{BASE}/register",
        json=model_body(category="embedding", abilities=["chat"]),
        headers=ids.member.headers,
    )
    message = response.json()["detail"][0]["msg"]
    assert "Invalid abilities for embedding model: {'chat'}" in message
    assert "Valid abilities are: {'embedding'}" in message


async def test_an_unknown_category_is_400(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/register", json=model_body(category="foo"), headers=ids.member.headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid model category"}


async def test_a_member_may_not_share_and_nothing_is_created(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    body = model_body(share_with_users=True)
    response = await client.post(f"{BASE}/register", json=body, headers=ids.member.headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only administrators can share models with all users"}
    missing = await client.get(f"{BASE}/{body['model_id']}", headers=ids.member.headers)
    assert missing.status_code == 404


async def test_an_admin_shares_and_members_see_it_read_only(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    assert shared["is_shared"] is True
    listed = (await client.get(f"{BASE}/", headers=ids.member.headers)).json()
    seen = next(m for m in listed if m["model_id"] == shared["model_id"])
    fetched = (await client.get(f"{BASE}/{shared['model_id']}", headers=ids.member.headers)).json()
    for view in (seen, fetched):
        assert (view["is_owner"], view["can_edit"], view["can_delete"]) == (False, False, False)
        assert view["is_shared"] is True
    put = await client.put(
        f"{BASE}/{shared['model_id']}", json={"description": "mine"}, headers=ids.member.headers
    )
    assert put.status_code == 403
    delete = await client.delete(f"{BASE}/{shared['model_id']}", headers=ids.member.headers)
    assert delete.status_code == 403


async def test_temperature_is_kept_for_llm_and_dimension_for_embedding_only(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm = await register_model(client, ids.member.headers, temperature=0.3, dimension=1024)
    assert (llm["temperature"], llm["dimension"]) == (0.3, None)
    embedding = await register_model(
        client,
        ids.member.headers,
        category="embedding",
        model_name="text-embedding-3-small",
        abilities=["embedding"],
        temperature=0.3,
        dimension=1024,
    )
    assert (embedding["temperature"], embedding["dimension"]) == (None, 1024)


async def test_missing_required_fields_are_a_fastapi_validation_list(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        f"{BASE}/register", json={"model_provider": "openai"}, headers=ids.member.headers
    )
    assert response.status_code == 422
    missing = {tuple(e["loc"]) for e in response.json()["detail"] if e["type"] == "missing"}
    assert missing == {("body", "model_id"), ("body", "model_name")}


async def test_a_blank_model_id_is_rejected(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/register", json=model_body(model_id="   "), headers=ids.member.headers
    )
    assert response.status_code == 422


async def test_a_validation_error_never_echoes_the_api_key(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    key = "sk-never-echo-this-key-0123456789"
    for body in (
        model_body(api_key=key, category="embedding", abilities=["chat"]),
        model_body(api_key=key, temperature="warm"),
        {**model_body(api_key=key), "model_name": None},
    ):
        response = await client.post(f"{BASE}/register", json=body, headers=ids.member.headers)
        assert response.status_code == 422
        assert key not in response.text


async def test_deepseek_model_names_are_checked(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/register",
        json=model_body(model_provider="deepseek", model_name="deepseek-coder-xl"),
        headers=ids.member.headers,
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Unsupported DeepSeek model 'deepseek-coder-xl'")
    created = await register_model(
        client, ids.member.headers, model_provider="deepseek", model_name="deepseek-chat"
    )
    assert created["base_url"] == "https://api.deepseek.com"


async def test_an_api_key_is_optional(client: httpx.AsyncClient, ids: Identities) -> None:
    body = model_body(model_provider="xinference", base_url="http://127.0.0.1:9997")
    del body["api_key"]
    response = await client.post(f"{BASE}/register", json=body, headers=ids.member.headers)
    assert response.status_code == 200
