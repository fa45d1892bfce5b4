"""GET and PATCH of the settings: what is stored, read back, replaced, and answered."""

from __future__ import annotations

import httpx

from tests.surfaces.baserow.support import get_settings, patch_settings, settings_url

KEY = "sk-baserow-0123456789abcdef"
MASKED = "sk-b...cdef"


async def test_item06_a_new_workspace_reads_as_an_empty_object(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    assert await get_settings(client, admin) == {}


async def test_item07_get_renders_each_type_in_field_order_with_the_key_masked(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(
        client,
        admin,
        {
            "openai": {"api_key": KEY, "organization": "org-1", "models": ["gpt-4o"]},
            "ollama": {"host": "http://ollama:11434", "models": ["llama3"]},
        },
    )
    response = await client.get(settings_url(1), headers=admin)
    assert response.json() == {
        "openai": {"models": ["gpt-4o"], "api_key": MASKED, "organization": "org-1"},
        "ollama": {"models": ["llama3"], "host": "http://ollama:11434"},
    }
    assert list(response.json()["openai"]) == ["models", "api_key", "organization"]
    assert KEY not in response.text


async def test_item07_types_not_set_are_left_out_and_nothing_is_null(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(client, admin, {"anthropic": {"api_key": KEY, "models": ["claude-3"]}})
    settings = await get_settings(client, admin)
    assert settings == {"anthropic": {"models": ["claude-3"], "api_key": MASKED}}


async def test_item09_unknown_types_and_keys_are_dropped_silently(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(
        client,
        admin,
        {
            "google": {"api_key": "g"},
            "mistral": {"api_key": KEY, "models": ["m"], "base_url": "https://x.test", "foo": 1},
        },
    )
    assert await get_settings(client, admin) == {"mistral": {"models": ["m"], "api_key": MASKED}}


async def test_item10_strings_and_models_are_trimmed_and_numbers_become_text(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(
        client,
        admin,
        {
            "openrouter": {"api_key": f"  {KEY}\n", "organization": 123, "models": [" a ", 7]},
            "ollama": {"host": " http://h:1 ", "models": ["b"]},
        },
    )
    assert await get_settings(client, admin) == {
        "ollama": {"models": ["b"], "host": "http://h:1"},
        "openrouter": {"models": ["a", "7"], "api_key": MASKED, "organization": "123"},
    }


async def test_item10_blank_strings_are_accepted_and_read_back_blank(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(
        client, admin, {"openai": {"api_key": "", "organization": "", "models": ["gpt-4o"]}}
    )
    assert await get_settings(client, admin) == {
        "openai": {"models": ["gpt-4o"], "api_key": "", "organization": ""}
    }


async def test_item10_models_keep_their_order_and_an_empty_list_is_allowed(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(client, admin, {"openai": {"api_key": KEY, "models": ["z", "a", "m"]}})
    assert (await get_settings(client, admin))["openai"]["models"] == ["z", "a", "m"]
    await patch_settings(client, admin, {"openai": {"api_key": KEY, "models": []}})
    assert (await get_settings(client, admin))["openai"]["models"] == []


async def test_item11_patch_replaces_the_whole_settings_object(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(
        client,
        admin,
        {
            "openai": {"api_key": KEY, "models": ["gpt-4o"]},
            "anthropic": {"api_key": KEY, "models": ["claude-3"]},
            "ollama": {"host": "http://ollama:11434", "models": ["llama3"]},
        },
    )
    await patch_settings(client, admin, {"openai": {"api_key": MASKED}})
    assert await get_settings(client, admin) == {
        "openai": {"models": [], "api_key": MASKED, "organization": ""}
    }


async def test_item11_patch_of_an_empty_object_or_an_empty_body_clears_everything(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = {"mistral": {"api_key": KEY, "models": ["m"]}}
    await patch_settings(client, admin, body)
    await patch_settings(client, admin, {})
    assert await get_settings(client, admin) == {}
    await patch_settings(client, admin, body)
    response = await client.patch(settings_url(1), headers=admin, content=b"")
    assert response.status_code == 200
    assert await get_settings(client, admin) == {}


async def test_item11_a_type_with_nothing_set_is_no_provider(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """What Baserow's web UI sends: every type, the unused ones as {} or blanks."""
    await patch_settings(
        client,
        admin,
        {
            "openai": {"api_key": KEY, "organization": "", "models": ["gpt-4o"]},
            "anthropic": {"api_key": "", "models": []},
            "mistral": {},
            "ollama": {"host": "", "models": []},
            "openrouter": {},
        },
    )
    assert list(await get_settings(client, admin)) == ["openai"]
    coder = {"Coder-Session-Token": admin["Authorization"].split()[1]}
    providers = (await client.get("/api/v2/ai/providers", headers=coder)).json()
    assert [p["name"] for p in providers] == ["openai"]


async def test_item12_patch_answers_the_workspace_with_its_enabled_models(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.patch(
        settings_url(1),
        headers=admin,
        json={
            "openai": {"api_key": KEY, "models": ["gpt-4o", "gpt-4o-mini"]},
            "ollama": {"host": "http://ollama:11434", "models": ["llama3"]},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": 1,
        "name": "Default",
        "generative_ai_models_enabled": {
            "openai": ["gpt-4o", "gpt-4o-mini"],
            "ollama": ["llama3"],
        },
    }


async def test_item13_a_type_is_enabled_only_with_a_key_or_host_and_models(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    answer = await patch_settings(
        client,
        admin,
        {
            "openai": {"api_key": KEY, "models": []},
            "anthropic": {"api_key": "", "models": ["claude-3"]},
            "mistral": {"api_key": KEY, "models": ["mistral-large"]},
            "ollama": {"host": "http://ollama:11434", "models": ["llama3"]},
            "openrouter": {"organization": "org-only", "models": []},
        },
    )
    assert answer["generative_ai_models_enabled"] == {
        "mistral": ["mistral-large"],
        "ollama": ["llama3"],
    }
    assert list(answer["generative_ai_models_enabled"]) == ["mistral", "ollama"]


async def test_a_masked_key_sent_back_keeps_the_stored_key(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """DESIGN.md §1: GET, edit, PATCH back loses nothing."""
    await patch_settings(client, admin, {"openai": {"api_key": KEY, "models": ["gpt-4o"]}})
    settings = await get_settings(client, admin)
    coder = {"Coder-Session-Token": admin["Authorization"].split()[1]}
    key_id = (await client.get("/api/v2/ai/providers/openai", headers=coder)).json()["api_keys"]
    settings["openai"]["models"].append("gpt-4o-mini")
    await patch_settings(client, admin, settings)
    provider = (await client.get("/api/v2/ai/providers/openai", headers=coder)).json()
    assert provider["api_keys"] == key_id
    assert (await get_settings(client, admin))["openai"]["models"] == ["gpt-4o", "gpt-4o-mini"]


async def test_a_new_key_replaces_every_stored_key_of_the_type(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    coder = {"Coder-Session-Token": admin["Authorization"].split()[1]}
    created = await client.post(
        "/api/v2/ai/providers",
        headers=coder,
        json={
            "type": "openai",
            "name": "openai",
            "base_url": "https://api.openai.com/v1",
            "api_keys": ["sk-first-aaaaaaaaaaaaaaaa", "sk-second-bbbbbbbbbbbbbbb"],
        },
    )
    assert created.status_code == 201
    assert (await get_settings(client, admin))["openai"]["api_key"] == "sk-f...aaaa"
    await patch_settings(client, admin, {"openai": {"api_key": KEY, "models": ["gpt-4o"]}})
    provider = (await client.get("/api/v2/ai/providers/openai", headers=coder)).json()
    assert [k["masked"] for k in provider["api_keys"]] == [MASKED]


async def test_a_blank_ollama_host_is_the_default_url(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(client, admin, {"ollama": {"host": "", "models": ["llama3"]}})
    assert (await get_settings(client, admin))["ollama"]["host"] == "http://127.0.0.1:11434"


async def test_providers_created_through_baserow_are_enabled(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await patch_settings(client, admin, {"anthropic": {"api_key": KEY, "models": ["claude-3"]}})
    coder = {"Coder-Session-Token": admin["Authorization"].split()[1]}
    provider = (await client.get("/api/v2/ai/providers/anthropic", headers=coder)).json()
    assert provider["enabled"] is True
    assert provider["base_url"] == "https://api.anthropic.com"


async def test_a_patch_that_changes_nothing_writes_nothing(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = {"openai": {"api_key": KEY, "models": ["gpt-4o"]}}
    await patch_settings(client, admin, body)
    coder = {"Coder-Session-Token": admin["Authorization"].split()[1]}
    before = (await client.get("/api/v2/ai/providers/openai", headers=coder)).json()
    await patch_settings(client, admin, {"openai": {"api_key": MASKED, "models": ["gpt-4o"]}})
    after = (await client.get("/api/v2/ai/providers/openai", headers=coder)).json()
    assert after == before
