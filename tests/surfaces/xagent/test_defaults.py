"""Default-model slots (spec checklist 24): `/user-default` and the `/default/…` getters."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import Identities, register_model
from tests.surfaces.xagent.support import BASE


async def _set(
    client: httpx.AsyncClient, headers: dict[str, str], model_pk: int, config_type: str
) -> httpx.Response:
    return await client.post(
        f"{BASE}/user-default",
        json={"model_id": model_pk, "config_type": config_type},
        headers=headers,
    )


async def test_a_slot_of_another_category_is_400(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    llm = await register_model(client, ids.member.headers)
    response = await _set(client, ids.member.headers, llm["id"], "embedding")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Config type 'embedding' is incompatible with model category 'llm'"
    }


async def test_an_unknown_config_type_is_422(client: httpx.AsyncClient, ids: Identities) -> None:
    llm = await register_model(client, ids.member.headers)
    response = await _set(client, ids.member.headers, llm["id"], "favourite")
    assert response.status_code == 422
    assert (
        await client.get(f"{BASE}/user-default/favourite", headers=ids.member.headers)
    ).status_code == 422


async def test_the_visual_slot_needs_the_vision_ability(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    plain = await register_model(client, ids.member.headers, abilities=["chat"])
    assert (await _set(client, ids.member.headers, plain["id"], "visual")).status_code == 400
    seeing = await register_model(client, ids.member.headers, abilities=["chat", "vision"])
    assert (await _set(client, ids.member.headers, seeing["id"], "visual")).status_code == 200


async def test_set_read_replace_and_delete_a_default(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    first = await register_model(client, ids.member.headers)
    second = await register_model(client, ids.member.headers)
    created = (await _set(client, ids.member.headers, first["id"], "general")).json()
    assert set(created) == {"id", "user_id", "model_id", "config_type", "created_at", "updated_at"}
    assert (created["user_id"], created["model_id"], created["updated_at"]) == (
        ids.member.user_id,
        first["id"],
        None,
    )
    replaced = (await _set(client, ids.member.headers, second["id"], "general")).json()
    assert (replaced["id"], replaced["model_id"]) == (created["id"], second["id"])
    assert replaced["updated_at"] is not None
    got = await client.get(f"{BASE}/user-default/general", headers=ids.member.headers)
    assert got.json()["model_id"] == second["id"]
    listed = (await client.get(f"{BASE}/user-default", headers=ids.member.headers)).json()
    assert [(d["config_type"], d["model"]["model_id"]) for d in listed] == [
        ("general", second["model_id"])
    ]
    deleted = await client.delete(f"{BASE}/user-default/general", headers=ids.member.headers)
    assert deleted.json() == {"message": "Default configuration deleted successfully"}
    assert (
        await client.get(f"{BASE}/user-default/general", headers=ids.member.headers)
    ).json() is None
    again = await client.delete(f"{BASE}/user-default/general", headers=ids.member.headers)
    assert (again.status_code, again.json()) == (404, {"detail": "Default configuration not found"})


async def test_a_default_needs_a_model_the_caller_can_see(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    private = await register_model(client, ids.admin.headers)
    response = await _set(client, ids.member.headers, private["id"], "general")
    assert response.status_code == 404
    missing = await _set(client, ids.member.headers, 999_999, "general")
    assert missing.status_code == 404


async def test_user_defaults_fall_back_to_an_admins_default_on_a_shared_model(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    shared = await register_model(client, ids.admin.headers, share_with_users=True)
    private = await register_model(client, ids.admin.headers)
    await _set(client, ids.admin.headers, shared["id"], "general")
    await _set(client, ids.admin.headers, private["id"], "small_fast")
    listed = (await client.get(f"{BASE}/user-default", headers=ids.member.headers)).json()
    assert [(d["config_type"], d["user_id"]) for d in listed] == [("general", ids.admin.user_id)]
    assert listed[0]["model"]["is_owner"] is False
    own = await register_model(client, ids.member.headers)
    await _set(client, ids.member.headers, own["id"], "general")
    listed = (await client.get(f"{BASE}/user-default", headers=ids.member.headers)).json()
    assert [(d["config_type"], d["model"]["model_id"]) for d in listed] == [
        ("general", own["model_id"])
    ]


@pytest.mark.parametrize(
    ("path", "config_type"),
    [
        ("general", "general"),
        ("small-fast", "small_fast"),
        ("compact", "compact"),
        ("visual", "visual"),
        ("embedding", "embedding"),
    ],
)
async def test_a_default_getter_returns_the_chosen_model(
    client: httpx.AsyncClient, ids: Identities, path: str, config_type: str
) -> None:
    assert (await client.get(f"{BASE}/default/{path}", headers=ids.member.headers)).json() is None
    fields: dict[str, object] = (
        {"category": "embedding", "abilities": ["embedding"]}
        if config_type == "embedding"
        else {"abilities": ["chat", "vision"]}
    )
    model = await register_model(client, ids.member.headers, **fields)
    chosen = await register_model(client, ids.member.headers, **fields)
    # Without a default, the first model that fits; with one, the chosen model.
    fallback = await client.get(f"{BASE}/default/{path}", headers=ids.member.headers)
    assert fallback.json()["model_id"] == model["model_id"]
    await _set(client, ids.member.headers, chosen["id"], config_type)
    response = await client.get(f"{BASE}/default/{path}", headers=ids.member.headers)
    assert response.json()["model_id"] == chosen["model_id"]


async def test_the_default_of_a_provider_is_its_first_model(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await register_model(client, ids.member.headers)
    claude = await register_model(
        client, ids.member.headers, model_provider="claude", model_name="claude-x"
    )
    response = await client.get(f"{BASE}/default/claude", headers=ids.member.headers)
    assert response.json()["model_id"] == claude["model_id"]
    assert (await client.get(f"{BASE}/default/zhipu", headers=ids.member.headers)).json() is None
