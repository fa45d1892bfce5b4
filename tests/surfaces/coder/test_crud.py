"""Coder checklist (spec §14): the CRUD semantics, one test per item or sub-item."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.db.tables import Provider
from aiport.db.types import utcnow
from tests.factories import create_provider
from tests.polling import eventually
from tests.surfaces.coder.support import API, openai_body

FIELDS = [
    "id",
    "type",
    "name",
    "display_name",
    "icon",
    "enabled",
    "base_url",
    "api_keys",
    "settings",
    "created_at",
    "updated_at",
]


async def test_item01_routes_answer_200_201_200_200_204(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await client.post(API, headers=owner, json=openai_body())
    assert created.status_code == 201
    assert (await client.get(API, headers=owner)).status_code == 200
    assert (await client.get(f"{API}/openai-main", headers=owner)).status_code == 200
    patched = await client.patch(f"{API}/openai-main", headers=owner, json={"enabled": True})
    assert patched.status_code == 200
    deleted = await client.delete(f"{API}/openai-main", headers=owner)
    assert deleted.status_code == 204
    assert deleted.content == b""


async def test_item01_trailing_slash_is_the_same_route(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    assert (await client.post(f"{API}/", headers=owner, json=openai_body())).status_code == 201
    assert (await client.get(f"{API}/", headers=owner)).json()[0]["name"] == "openai-main"
    assert (await client.get(f"{API}/openai-main/", headers=owner)).status_code == 200


async def test_item06_empty_list_is_an_empty_array(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.get(API, headers=owner)
    assert response.status_code == 200
    assert response.content == b"[]\n"


async def test_item06_list_is_sorted_by_name_includes_disabled_excludes_deleted(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    for name in ("zeta", "a-c", "ab", "alpha", "gone"):
        await create_provider(client, owner, openai_body(name, enabled=name == "ab"))
    await client.delete(f"{API}/gone", headers=owner)
    names = [p["name"] for p in (await client.get(API, headers=owner)).json()]
    assert names == ["a-c", "ab", "alpha", "zeta"]


async def test_item07_response_has_exactly_coders_fields_in_order(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await client.post(API, headers=owner, json=openai_body())
    assert list(created.json()) == FIELDS
    listed = (await client.get(API, headers=owner)).json()[0]
    assert list(listed) == FIELDS
    assert created.json()["api_keys"] == []
    assert created.json()["settings"] is None


async def test_item07_display_name_falls_back_to_name(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(display_name=""))
    assert created["display_name"] == "openai-main"


async def test_item10_enabled_defaults_to_false_and_icon_to_empty(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body())
    assert created["enabled"] is False
    assert created["icon"] == ""


async def test_item10_icon_and_display_name_are_stored_as_given(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(
        client, owner, openai_body(icon="🤖", display_name="  Main OpenAI ", enabled=True)
    )
    fetched = (await client.get(f"{API}/{created['id']}", headers=owner)).json()
    assert (fetched["icon"], fetched["display_name"], fetched["enabled"]) == (
        "🤖",
        "  Main OpenAI ",
        True,
    )


async def test_item11_duplicate_live_name_is_409(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body("dup"))
    response = await client.post(API, headers=owner, json=openai_body("dup"))
    assert response.status_code == 409
    assert response.json()["message"] == 'AI provider "dup" already exists.'


async def test_item11_name_of_a_deleted_provider_is_reusable_with_a_new_id(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    first = await create_provider(client, owner, openai_body("reuse"))
    await client.delete(f"{API}/reuse", headers=owner)
    second = await create_provider(client, owner, openai_body("reuse"))
    assert second["id"] != first["id"]
    assert (await client.get(f"{API}/{first['id']}", headers=owner)).status_code == 404


async def test_item11_concurrent_creates_of_one_name_give_one_201_and_one_409(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    responses = await asyncio.gather(
        *(client.post(API, headers=owner, json=openai_body("race")) for _ in range(2))
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    conflict = next(r for r in responses if r.status_code == 409)
    assert conflict.json()["message"] == 'AI provider "race" already exists.'
    assert len((await client.get(API, headers=owner)).json()) == 1


async def test_item15_patch_ignores_name_and_type(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body("keep-name"))
    response = await client.patch(
        f"{API}/keep-name",
        headers=owner,
        json={"name": "renamed", "type": "anthropic", "display_name": "New Display"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["type"], body["display_name"]) == (
        "keep-name",
        "openai",
        "New Display",
    )
    assert (await client.get(f"{API}/renamed", headers=owner)).status_code == 404


async def test_item16_patch_empty_display_name_clears_it(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body(display_name="Shown"))
    response = await client.patch(f"{API}/openai-main", headers=owner, json={"display_name": ""})
    assert response.json()["display_name"] == "openai-main"


async def test_item16_patch_null_display_name_leaves_it(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body(display_name="Shown"))
    response = await client.patch(
        f"{API}/openai-main", headers=owner, json={"display_name": None, "icon": "x"}
    )
    assert response.json()["display_name"] == "Shown"
    stored = (await client.get(f"{API}/openai-main", headers=owner)).json()
    assert stored["display_name"] == "Shown"


async def test_item16_patch_empty_base_url_is_a_validation_error(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.patch(f"{API}/openai-main", headers=owner, json={"base_url": ""})
    assert response.status_code == 400
    assert response.json() == {
        "message": "Invalid AI provider request.",
        "validations": [{"field": "base_url", "detail": "base_url is required"}],
    }


async def test_item17_patch_keys_is_the_desired_final_set(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(
        client, owner, openai_body(api_keys=["sk-one-aaaaaaaaaaaaaaaa", "sk-two-bbbbbbbbbbbbbbbb"])
    )
    one, two = created["api_keys"]
    response = await client.patch(
        f"{API}/openai-main",
        headers=owner,
        json={"api_keys": [{"id": two["id"]}, {"api_key": "sk-three-cccccccccccccc"}]},
    )
    keys = response.json()["api_keys"]
    assert keys[0] == two
    assert [k["masked"] for k in keys] == ["sk-t...bbbb", "sk-t...cccc"]
    assert one["id"] not in {k["id"] for k in keys}


async def test_item17_patch_empty_key_list_clears_all(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body(api_keys=["sk-one-aaaaaaaaaaaaaaaa"]))
    response = await client.patch(f"{API}/openai-main", headers=owner, json={"api_keys": []})
    assert response.json()["api_keys"] == []


async def test_item17_omitting_keys_keeps_ids_and_masks(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(
        client, owner, openai_body(api_keys=["sk-one-aaaaaaaaaaaaaaaa"])
    )
    response = await client.patch(f"{API}/openai-main", headers=owner, json={"enabled": True})
    assert response.json()["api_keys"] == created["api_keys"]
    stored = (await client.get(f"{API}/openai-main", headers=owner)).json()
    assert stored["api_keys"] == created["api_keys"]


async def test_item17_new_keys_follow_kept_keys_in_request_order(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["kept-key-0123456789"]))
    kept = created["api_keys"][0]["id"]
    response = await client.patch(
        f"{API}/openai-main",
        headers=owner,
        json={
            "api_keys": [{"api_key": "zzzz-new-first-key"}, {"id": kept}, {"api_key": "aaaa-new-2"}]
        },
    )
    assert [k["masked"] for k in response.json()["api_keys"]] == [
        "ke...89",
        "zz...ey",
        "aa...-2",
    ]
    listed = (await client.get(f"{API}/openai-main", headers=owner)).json()["api_keys"]
    assert listed == response.json()["api_keys"]


async def test_item17_key_of_another_provider_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    other = await create_provider(
        client, owner, openai_body("other", api_keys=["sk-other-key-000000"])
    )
    mine = await create_provider(
        client, owner, openai_body("mine", api_keys=["sk-mine-key-1111111"])
    )
    foreign = other["api_keys"][0]["id"]
    response = await client.patch(
        f"{API}/mine",
        headers=owner,
        json={"display_name": "changed", "api_keys": [{"id": foreign}]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "api_keys references an unknown id for this provider",
        "detail": f"execute transaction: api_keys references an unknown id for this provider: {foreign}",
    }
    after = (await client.get(f"{API}/mine", headers=owner)).json()
    assert after == mine


async def test_item17_unknown_key_id_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.patch(
        f"{API}/openai-main", headers=owner, json={"api_keys": [{"id": str(uuid.uuid4())}]}
    )
    assert response.status_code == 400
    assert response.json()["message"] == "api_keys references an unknown id for this provider"


async def test_item17_masked_value_sent_back_keeps_the_stored_key(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-ant-api03-abcdefgh"]))
    response = await client.patch(
        f"{API}/openai-main", headers=owner, json={"api_keys": [{"api_key": "sk-a...efgh"}]}
    )
    assert response.json()["api_keys"] == created["api_keys"]
    stored = (await client.get(f"{API}/openai-main", headers=owner)).json()
    assert stored["api_keys"] == created["api_keys"]


async def test_item22_delete_is_soft_and_everything_then_404s(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-gone-key-0000000"]))
    assert (await client.delete(f"{API}/openai-main", headers=owner)).status_code == 204
    for method in ("GET", "DELETE"):
        for ref in ("openai-main", created["id"]):
            response = await client.request(method, f"{API}/{ref}", headers=owner)
            assert response.status_code == 404
            assert response.json() == {
                "message": "Resource not found or you do not have access to this resource"
            }
    patched = await client.patch(f"{API}/openai-main", headers=owner, json={"enabled": True})
    assert patched.status_code == 404
    assert (await client.get(API, headers=owner)).json() == []


async def test_item23_patch_and_delete_bump_updated_at_and_keep_created_at(
    client: httpx.AsyncClient, owner: dict[str, str], session: AsyncSession
) -> None:
    created = await create_provider(client, owner, openai_body())
    await eventually(lambda: utcnow() > _time(created["updated_at"]), what="the clock moved on")
    patched = (await client.patch(f"{API}/openai-main", headers=owner, json={"icon": ""})).json()
    assert patched["created_at"] == created["created_at"]
    assert _time(patched["updated_at"]) > _time(created["updated_at"])
    fetched = (await client.get(f"{API}/openai-main", headers=owner)).json()
    assert fetched["updated_at"] == patched["updated_at"]
    await eventually(lambda: utcnow() > _time(patched["updated_at"]), what="the clock moved on")
    await client.delete(f"{API}/openai-main", headers=owner)
    row = await session.get(Provider, uuid.UUID(created["id"]))
    assert row is not None
    assert row.deleted_at is not None
    assert row.enabled is False
    assert row.updated_at > _time(patched["updated_at"])
    assert row.created_at == _time(created["created_at"])


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_item01_put_is_405_in_coders_shape(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.put(f"{API}/openai-main", headers=owner, json={"enabled": True})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"message": "Method not allowed."}


async def test_unknown_routes_under_api_v2_are_coders_route_not_found(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    for path in ("/api/v2/nothing", f"{API}/a/b", f"{API}/openai-main/keys"):
        response = await client.get(path, headers=owner)
        assert response.status_code == 404
        assert response.json() == {"message": "Route not found."}
