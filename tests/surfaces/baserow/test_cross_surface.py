"""One store: what Baserow sets, Coder and the gateway see, and the other way round."""

from __future__ import annotations

import httpx

from tests.factories import Identities
from tests.fakes.fixtures import StartFake
from tests.surfaces.baserow.support import get_settings, jwt, patch_settings

CODER = "/api/v2/ai/providers"
KEY = "sk-crossing-0123456789abcdef"


def coder(ids: Identities) -> dict[str, str]:
    return {"Coder-Session-Token": ids.admin.token}


async def test_set_in_baserow_is_seen_in_coder_with_the_key_masked(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await patch_settings(
        client,
        jwt(ids.admin),
        {"openai": {"api_key": KEY, "organization": "org-9", "models": ["gpt-4o"]}},
    )
    response = await client.get(CODER, headers=coder(ids))
    (provider,) = response.json()
    assert (provider["name"], provider["type"], provider["enabled"]) == ("openai", "openai", True)
    assert [k["masked"] for k in provider["api_keys"]] == ["sk-c...cdef"]
    assert KEY not in response.text


async def test_deleted_in_coder_is_gone_from_baserow(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await patch_settings(
        client,
        jwt(ids.admin),
        {
            "openai": {"api_key": KEY, "models": ["gpt-4o"]},
            "mistral": {"api_key": KEY, "models": ["mistral-large"]},
        },
    )
    assert (await client.delete(f"{CODER}/openai", headers=coder(ids))).status_code == 204
    assert list(await get_settings(client, jwt(ids.admin))) == ["mistral"]
    listed = (await client.get("/api/workspaces/", headers=jwt(ids.admin))).json()
    assert listed[0]["generative_ai_models_enabled"] == {"mistral": ["mistral-large"]}


async def test_a_provider_made_in_coder_under_a_type_name_is_baserows_setting(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await client.post(
        CODER,
        headers=coder(ids),
        json={
            "type": "anthropic",
            "name": "anthropic",
            "base_url": "https://api.anthropic.com",
            "enabled": True,
            "api_keys": [KEY],
        },
    )
    assert created.status_code == 201
    assert await get_settings(client, jwt(ids.admin)) == {
        "anthropic": {"models": [], "api_key": "sk-c...cdef"}
    }


async def test_other_provider_names_are_not_baserow_settings(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    created = await client.post(
        CODER,
        headers=coder(ids),
        json={"type": "openai", "name": "openai-eu", "base_url": "https://eu.test/v1"},
    )
    assert created.status_code == 201
    assert await get_settings(client, jwt(ids.admin)) == {}
    await patch_settings(client, jwt(ids.admin), {})
    names = [p["name"] for p in (await client.get(CODER, headers=coder(ids))).json()]
    assert names == ["openai-eu"]


async def test_a_provider_disabled_in_coder_enables_no_models_in_baserow(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    await patch_settings(client, jwt(ids.admin), {"openai": {"api_key": KEY, "models": ["gpt-4o"]}})
    disabled = await client.patch(f"{CODER}/openai", headers=coder(ids), json={"enabled": False})
    assert disabled.status_code == 200
    answer = await patch_settings(
        client, jwt(ids.admin), {"openai": {"api_key": "sk-c...cdef", "models": ["gpt-4o"]}}
    )
    assert answer["generative_ai_models_enabled"] == {}
    assert (await client.get(f"{CODER}/openai", headers=coder(ids))).json()["enabled"] is False


async def test_set_in_baserow_is_routed_by_the_gateway_with_the_stored_key(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake
) -> None:
    """The gateway reads the same provider: its calls carry the key Baserow stored."""
    fake = await fake_provider("openai")
    await patch_settings(
        client,
        jwt(ids.admin),
        {"openai": {"api_key": fake.good_plaintext, "models": ["gpt-4o-mini"]}},
    )
    moved = await client.patch(
        f"{CODER}/openai", headers=coder(ids), json={"base_url": fake.target.base_url}
    )
    assert moved.status_code == 200
    response = await client.post(
        "/v1/chat/completions",
        headers={"Authorization": f"Bearer {ids.member.token}"},
        json={"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert response.status_code == 200, response.text
    sent = fake.server.requests_to("/chat/completions")[-1]
    assert sent.headers["authorization"] == f"Bearer {fake.good_plaintext}"
