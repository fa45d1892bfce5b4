"""Coder checklist items 4, 5 and 19: bodies are read as Go's encoding/json reads them."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import create_provider
from tests.surfaces.coder.support import API, bedrock_body, openai_body

INVALID_JSON = "Request body must be valid JSON."


async def _post(client: httpx.AsyncClient, owner: dict[str, str], content: bytes) -> httpx.Response:
    return await client.post(
        API, headers=owner | {"Content-Type": "application/json"}, content=content
    )


async def test_item04_errors_use_coders_envelope_and_omit_empty_parts(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.get(f"{API}/no-such", headers=owner)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content.endswith(b"}\n")
    assert set(response.json()) == {"message"}


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "EOF"),
        (b"   \n\t", "EOF"),
        (b'{"type":"openai",', "unexpected EOF"),
        (b"{not json}", "invalid character 'n' looking for beginning of object key string"),
        (b"nope", "invalid character 'o' in literal"),
        (b'{"name": NaN}', "invalid character 'N' looking for beginning of value"),
    ],
    ids=["empty", "whitespace", "truncated", "bad-key", "bad-literal", "nan"],
)
async def test_item05_undecodable_body_is_400_with_a_detail(
    client: httpx.AsyncClient, owner: dict[str, str], content: bytes, detail: str
) -> None:
    response = await _post(client, owner, content)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == INVALID_JSON
    assert body["detail"]
    if detail != "invalid character 'o' in literal":
        assert body["detail"] == detail


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (
            b'{"name": 5}',
            "json: cannot unmarshal number into Go struct field CreateAIProviderRequest.name of type string",
        ),
        (
            b'{"enabled": "yes"}',
            "json: cannot unmarshal string into Go struct field CreateAIProviderRequest.enabled of type bool",
        ),
        (
            b'{"type": ["openai"]}',
            "json: cannot unmarshal array into Go struct field CreateAIProviderRequest.type of type codersdk.AIProviderType",
        ),
        (
            b'{"api_keys": "sk-x"}',
            "json: cannot unmarshal string into Go struct field CreateAIProviderRequest.api_keys of type []string",
        ),
        (
            b'{"api_keys": [1]}',
            "json: cannot unmarshal number into Go struct field CreateAIProviderRequest.api_keys of type string",
        ),
        (
            b"[]",
            "json: cannot unmarshal array into Go value of type codersdk.CreateAIProviderRequest",
        ),
        (
            b'"x"',
            "json: cannot unmarshal string into Go value of type codersdk.CreateAIProviderRequest",
        ),
    ],
    ids=[
        "name-number",
        "enabled-string",
        "type-array",
        "keys-string",
        "key-number",
        "array",
        "string",
    ],
)
async def test_item05_wrong_json_type_is_400_with_gos_detail(
    client: httpx.AsyncClient, owner: dict[str, str], content: bytes, detail: str
) -> None:
    response = await _post(client, owner, content)
    assert response.status_code == 400
    assert response.json() == {"message": INVALID_JSON, "detail": detail}


async def test_item05_unknown_fields_are_ignored(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.post(
        API, headers=owner, json=openai_body(surprise={"deep": [1, 2]}, id="ignored")
    )
    assert response.status_code == 201


async def test_item05_field_names_match_case_insensitively_and_the_last_duplicate_wins(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await _post(
        client,
        owner,
        b'{"TYPE":"openai","Name":"first","nAmE":"case-insensitive","Base_URL":"https://x.test"}',
    )
    assert response.status_code == 201
    assert response.json()["name"] == "case-insensitive"


async def test_item05_only_the_first_json_value_is_read(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await _post(
        client, owner, b'{"type":"openai","name":"first-value","base_url":"https://x.test"} {junk'
    )
    assert response.status_code == 201


async def test_item05_null_body_decodes_to_empty_request(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await _post(client, owner, b"null")
    assert response.status_code == 400
    assert [v["field"] for v in response.json()["validations"]] == ["type", "name", "base_url"]


async def test_item05_invalid_uuid_in_a_key_id_is_a_decode_error(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.patch(
        f"{API}/openai-main", headers=owner, json={"api_keys": [{"id": "not-a-uuid"}]}
    )
    assert response.status_code == 400
    assert response.json() == {"message": INVALID_JSON, "detail": "invalid UUID length: 10"}


async def test_item05_key_id_in_every_go_uuid_form_is_accepted(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-key-000000000000"]))
    key = created["api_keys"][0]["id"]
    for form in (key.upper(), "{" + key + "}", "urn:uuid:" + key, key.replace("-", "")):
        response = await client.patch(
            f"{API}/openai-main", headers=owner, json={"api_keys": [{"id": form}]}
        )
        assert response.status_code == 200, form
        assert response.json()["api_keys"] == created["api_keys"]


async def test_item05_null_fields_in_patch_mean_not_sent(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.patch(
        f"{API}/openai-main", headers=owner, json={"settings": None, "api_keys": None}
    )
    assert response.status_code == 400
    assert response.json() == {"message": "At least one field must be provided."}


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ({}, "settings missing _type discriminator"),
        ({"_version": 1, "region": "us-east-1"}, "settings missing _type discriminator"),
        ({"_type": "vertex", "_version": 1}, 'unknown settings type "vertex"'),
        ({"_type": "bedrock"}, 'unsupported "bedrock" settings version 0 (expected 1)'),
        (
            {"_type": "bedrock", "_version": 2},
            'unsupported "bedrock" settings version 2 (expected 1)',
        ),
        (
            {"_type": "bedrock", "_version": "1"},
            "decode settings header: json: cannot unmarshal string into Go struct field aiProviderSettingsHeader._version of type int",
        ),
        (
            {"_type": "bedrock", "_version": 1, "region": 7},
            "decode bedrock settings: json: cannot unmarshal number into Go struct field AIProviderBedrockSettings.region of type string",
        ),
        (
            "bedrock",
            "decode settings header: json: cannot unmarshal string into Go value of type codersdk.aiProviderSettingsHeader",
        ),
    ],
    ids=[
        "empty",
        "no-type",
        "unknown-type",
        "no-version",
        "version-2",
        "version-string",
        "region-number",
        "string",
    ],
)
async def test_item19_settings_discriminator_errors_are_decode_errors(
    client: httpx.AsyncClient, owner: dict[str, str], value: object, detail: str
) -> None:
    body = bedrock_body() | {"settings": value}
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 400
    assert response.json() == {"message": INVALID_JSON, "detail": detail}


async def test_item19_discriminator_keys_match_case_insensitively_and_unknown_keys_are_ignored(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    body = bedrock_body() | {
        "settings": {"_TYPE": "bedrock", "_Version": 1, "Region": "eu-west-1", "extra": True}
    }
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 201
    assert response.json()["settings"] == {"_type": "bedrock", "_version": 1, "region": "eu-west-1"}


async def test_item19_empty_settings_object_in_patch_is_a_decode_error(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body())
    response = await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": {}})
    assert response.status_code == 400
    assert response.json()["detail"] == "settings missing _type discriminator"


async def test_deeply_nested_json_is_a_400_not_a_crash(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await _post(client, owner, b'{"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert response.status_code == 400
    assert response.json()["message"] == INVALID_JSON


async def test_invalid_utf8_and_lone_surrogates_become_replacement_characters(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    content = (
        b'{"type":"openai","name":"utf","base_url":"https://x.test","display_name":"a\xff\\ud800b"}'
    )
    response = await _post(client, owner, content)
    assert response.status_code == 201
    assert response.json()["display_name"] == "a\ufffd\ufffdb"
