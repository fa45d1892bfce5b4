"""Coder checklist items 9, 12, 13, 14, 18, 20 and 21: validation, in Coder's order and words."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import create_provider
from tests.surfaces.coder.support import API, bedrock_body, openai_body

INVALID = "Invalid AI provider request."
NAME_RULE = (
    "name must match ^[a-z0-9]+(-[a-z0-9]+)*$ (lowercase alphanumeric, hyphens between words)"
)
ARN_EXAMPLE = "arn:aws:iam::123456789012:role/BedrockRole"
BEDROCK_KEYS = (
    "Bedrock providers do not accept api_keys; configure access credentials via settings."
)


async def _validations(
    client: httpx.AsyncClient, owner: dict[str, str], body: Any
) -> list[dict[str, str]]:
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"] == INVALID
    assert "detail" not in response.json()
    validations: list[dict[str, str]] = response.json()["validations"]
    return validations


async def test_item09_all_violations_come_in_one_response_in_coders_order(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    body = {
        "type": "copilot",
        "name": "Not Valid",
        "base_url": "ftp://files.example.com",
        "api_keys": ["", " padded ", "fine"],
    }
    assert await _validations(client, owner, body) == [
        {"field": "name", "detail": NAME_RULE},
        {"field": "base_url", "detail": 'base_url scheme must be http or https, got "ftp"'},
        {"field": "api_keys[0]", "detail": "api_keys entries must not be empty"},
        {
            "field": "api_keys[1]",
            "detail": "api_keys entries must not contain leading or trailing whitespace",
        },
        {"field": "api_keys", "detail": "type=copilot does not accept api_keys"},
    ]


async def test_item09_missing_type_name_and_base_url(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    assert await _validations(client, owner, {}) == [
        {"field": "type", "detail": "type is required"},
        {"field": "name", "detail": "name is required"},
        {"field": "base_url", "detail": "base_url is required"},
    ]


@pytest.mark.parametrize("provider_type", ["mistral", "ollama", "OpenAI", "gpt"])
async def test_item09_types_outside_coders_nine_are_unsupported(
    client: httpx.AsyncClient, owner: dict[str, str], provider_type: str
) -> None:
    body = openai_body() | {"type": provider_type}
    assert await _validations(client, owner, body) == [
        {"field": "type", "detail": f'unsupported provider type "{provider_type}"'}
    ]


@pytest.mark.parametrize(
    "provider_type",
    ["openai", "anthropic", "azure", "google", "openai-compat", "openrouter", "vercel", "copilot"],
)
async def test_item09_each_of_coders_types_is_accepted(
    client: httpx.AsyncClient, owner: dict[str, str], provider_type: str
) -> None:
    body = openai_body(provider_type) | {"type": provider_type}
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 201
    assert response.json()["type"] == provider_type


@pytest.mark.parametrize(
    "base_url",
    [
        "api.openai.com",
        "https://",
        "https:///v1",
        "://x",
        " https://x.test",
        "http://exa mple.com",
        "http://x.test:abc",
        "https://x.test/%zz",
        "localhost:8080",
    ],
)
async def test_item09_base_url_must_be_absolute(
    client: httpx.AsyncClient, owner: dict[str, str], base_url: str
) -> None:
    assert await _validations(client, owner, openai_body(base_url=base_url)) == [
        {
            "field": "base_url",
            "detail": "base_url must be an absolute URL (e.g. https://api.example.com/)",
        }
    ]


@pytest.mark.parametrize(
    "base_url", ["HTTPS://API.OPENAI.COM/v1", "http://127.0.0.1:11434", "http://[::1]:8080/x?y=%zz"]
)
async def test_item09_absolute_http_urls_are_accepted(
    client: httpx.AsyncClient, owner: dict[str, str], base_url: str
) -> None:
    response = await client.post(API, headers=owner, json=openai_body(base_url=base_url))
    assert response.status_code == 201
    assert response.json()["base_url"] == base_url


async def test_item09_bedrock_settings_on_another_type_and_bedrock_without_settings(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    on_openai = openai_body(settings={"_type": "bedrock", "_version": 1, "region": "us-east-1"})
    assert await _validations(client, owner, on_openai) == [
        {
            "field": "settings",
            "detail": "bedrock settings are only valid for type=anthropic or type=bedrock",
        }
    ]
    models_only = bedrock_body(region="", model="anthropic.claude")
    assert await _validations(client, owner, models_only) == [
        {"field": "settings", "detail": "type=bedrock requires bedrock settings"}
    ]
    no_settings = {k: v for k, v in bedrock_body().items() if k != "settings"}
    assert await _validations(client, owner, no_settings) == [
        {"field": "settings", "detail": "type=bedrock requires bedrock settings"}
    ]


@pytest.mark.parametrize("configured", ["region", "role_arn", "access_key", "access_key_secret"])
async def test_item09_one_load_bearing_field_configures_bedrock(
    client: httpx.AsyncClient, owner: dict[str, str], configured: str
) -> None:
    value = ARN_EXAMPLE if configured == "role_arn" else "set-1234567890"
    body = bedrock_body(**({"region": ""} | {configured: value}))
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 201, response.text


async def test_item12_anthropic_with_bedrock_settings_and_keys_is_400_with_message_only(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    body = bedrock_body("claude") | {"type": "anthropic", "api_keys": ["sk-ant-0000000000"]}
    response = await client.post(API, headers=owner, json=body)
    assert response.status_code == 400
    assert response.json() == {"message": BEDROCK_KEYS}


@pytest.mark.parametrize("provider_type", ["bedrock", "copilot"])
async def test_item12_bedrock_and_copilot_with_keys_is_a_validation_on_api_keys(
    client: httpx.AsyncClient, owner: dict[str, str], provider_type: str
) -> None:
    body = bedrock_body() | {"type": provider_type, "api_keys": ["sk-0000000000"]}
    if provider_type == "copilot":
        body.pop("settings")
    validations = await _validations(client, owner, body)
    assert validations == [
        {"field": "api_keys", "detail": f"type={provider_type} does not accept api_keys"}
    ]


async def test_item13_id_or_name_resolves_by_every_go_uuid_form_and_by_name(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body())
    key = created["id"]
    for ref in (
        "openai-main",
        key,
        key.upper(),
        "{" + key + "}",
        "urn:uuid:" + key,
        "URN:UUID:" + key,
        key.replace("-", ""),
    ):
        response = await client.get(f"{API}/{ref}", headers=owner)
        assert response.status_code == 200, ref
        assert response.json()["id"] == key


@pytest.mark.parametrize(
    "ref", ["Bad_Name", "UPPER", "-lead", "trail-", "a--b", "ünï", "a.b", "%2e%2e"]
)
async def test_item13_invalid_id_or_name_is_400_without_a_lookup(
    client: httpx.AsyncClient, owner: dict[str, str], ref: str
) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        body = {"enabled": True} if method == "PATCH" else None
        response = await client.request(method, f"{API}/{ref}", headers=owner, json=body)
        assert response.status_code == 400
        assert response.json() == {
            "message": "Invalid provider id or name: must be a UUID or match ^[a-z0-9]+(-[a-z0-9]+)*$."
        }


async def test_item13_uuid_looking_name_with_stray_hyphens_is_a_name_not_an_id(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body())
    hex_id = created["id"].replace("-", "")
    odd = f"{hex_id[:4]}-{hex_id[4:]}"
    response = await client.get(f"{API}/{odd}", headers=owner)
    assert response.status_code == 404


async def test_item14_empty_patch_is_400(client: httpx.AsyncClient, owner: dict[str, str]) -> None:
    await create_provider(client, owner, openai_body())
    for content in (b"{}", b'{"settings":null}', b'{"name":"x","type":"anthropic"}', b"null"):
        response = await client.patch(f"{API}/openai-main", headers=owner, content=content)
        assert response.status_code == 400
        assert response.json() == {"message": "At least one field must be provided."}


async def test_item14_patch_validation_runs_before_the_lookup(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.patch(
        f"{API}/no-such-provider", headers=owner, json={"base_url": "nope"}
    )
    assert response.status_code == 400
    assert response.json()["message"] == INVALID
    bad_ref = await client.patch(f"{API}/Bad_Name", headers=owner, json={"base_url": "nope"})
    assert bad_ref.json()["message"] == INVALID


async def test_item14_patch_key_entry_rules_in_order(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-key-000000000000"]))
    key = created["api_keys"][0]["id"]
    response = await client.patch(
        f"{API}/openai-main",
        headers=owner,
        json={
            "api_keys": [
                {"id": key, "api_key": "both"},
                {},
                {"api_key": ""},
                {"api_key": "\tpadded"},
                {"id": key},
                {"id": key},
            ]
        },
    )
    assert response.status_code == 400
    assert response.json()["validations"] == [
        {"field": "api_keys[0]", "detail": "exactly one of id or api_key must be set"},
        {"field": "api_keys[1]", "detail": "exactly one of id or api_key must be set"},
        {"field": "api_keys[2].api_key", "detail": "api_key must not be empty"},
        {
            "field": "api_keys[3].api_key",
            "detail": "api_key must not contain leading or trailing whitespace",
        },
        {"field": "api_keys[5].id", "detail": f"id {key} already referenced at api_keys[4]"},
    ]


async def test_item18_patch_keys_onto_bedrock_or_copilot_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body())
    await create_provider(client, owner, openai_body("copilot") | {"type": "copilot"})
    keys = {"api_keys": [{"api_key": "sk-0000000000000"}]}
    bedrock = await client.patch(f"{API}/bedrock-prod", headers=owner, json=keys)
    assert bedrock.status_code == 400
    assert bedrock.json() == {"message": BEDROCK_KEYS}
    copilot = await client.patch(f"{API}/copilot", headers=owner, json=keys)
    assert copilot.json() == {
        "message": "Copilot providers do not accept api_keys; they authenticate via request-time GitHub OAuth tokens."
    }
    cleared = await client.patch(f"{API}/copilot", headers=owner, json={"api_keys": []})
    assert cleared.status_code == 200


async def test_item18_patch_bedrock_settings_onto_another_type_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, openai_body())
    response = await client.patch(
        f"{API}/openai-main",
        headers=owner,
        json={"settings": {"_type": "bedrock", "_version": 1, "region": "us-east-1"}},
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "Bedrock settings are only valid for type=anthropic or type=bedrock."
    }


async def test_item18_patch_that_adds_bedrock_to_anthropic_with_keys_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(
        client, owner, openai_body("claude", api_keys=["sk-ant-000000000"]) | {"type": "anthropic"}
    )
    response = await client.patch(
        f"{API}/claude",
        headers=owner,
        json={
            "settings": {"_type": "bedrock", "_version": 1, "region": "us-east-1"},
            "api_keys": [{"api_key": "sk-ant-1111111111"}],
        },
    )
    assert response.json() == {"message": BEDROCK_KEYS}


async def test_item20_external_id_is_generated_when_a_role_is_set(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, bedrock_body(role_arn=ARN_EXAMPLE))
    external_id = created["settings"]["external_id"]
    assert len(external_id) == 26
    assert set(external_id) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    without_role = await create_provider(client, owner, bedrock_body("no-role"))
    assert "external_id" not in without_role["settings"]


async def test_item20_client_external_id_on_create_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    body = bedrock_body(role_arn=ARN_EXAMPLE, external_id="MINE")
    assert await _validations(client, owner, body) == [
        {
            "field": "settings.external_id",
            "detail": "external_id is server-generated and cannot be set",
        }
    ]


async def test_item20_external_id_echo_is_accepted_and_a_change_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, bedrock_body(role_arn=ARN_EXAMPLE))
    settings = created["settings"]
    echo = await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": settings})
    assert echo.status_code == 200
    assert echo.json()["settings"] == settings
    changed = settings | {"external_id": "A" * 26}
    refused = await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": changed})
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "The Bedrock external ID is server-generated and cannot be changed."
    }


async def test_item20_external_id_on_a_provider_without_one_is_refused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body())
    response = await client.patch(
        f"{API}/bedrock-prod",
        headers=owner,
        json={"settings": {"_type": "bedrock", "_version": 1, "region": "x", "external_id": "E"}},
    )
    assert response.json()["message"] == (
        "The Bedrock external ID is server-generated and cannot be changed."
    )


async def test_item20_external_id_survives_role_removal_and_is_reused(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body())
    base = {"_type": "bedrock", "_version": 1, "region": "us-east-1"}
    added = await client.patch(
        f"{API}/bedrock-prod", headers=owner, json={"settings": base | {"role_arn": ARN_EXAMPLE}}
    )
    external_id = added.json()["settings"]["external_id"]
    removed = await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": base})
    assert removed.json()["settings"]["external_id"] == external_id
    assert "role_arn" not in removed.json()["settings"]
    again = await client.patch(
        f"{API}/bedrock-prod",
        headers=owner,
        json={"settings": base | {"role_arn": "arn:aws:iam::210987654321:role/Other"}},
    )
    assert again.json()["settings"]["external_id"] == external_id


@pytest.mark.parametrize(
    ("role_arn", "detail"),
    [
        ("not-an-arn", f'role_arn "not-an-arn" is not a valid ARN, e.g. {ARN_EXAMPLE}'),
        ("arn:aws:iam", f'role_arn "arn:aws:iam" is not a valid ARN, e.g. {ARN_EXAMPLE}'),
        (
            "arn:aws:s3:::bucket/key",
            f'role_arn must be an IAM ARN, but resolved to service "s3", e.g. {ARN_EXAMPLE}',
        ),
        (
            "arn:aws:iam::123456789012:user/Bob",
            f'role_arn must reference an IAM role, but resolved to resource "user/Bob", e.g. {ARN_EXAMPLE}',
        ),
    ],
    ids=["garbage", "short", "s3", "user"],
)
async def test_item21_role_arn_must_be_an_iam_role(
    client: httpx.AsyncClient, owner: dict[str, str], role_arn: str, detail: str
) -> None:
    validations = await _validations(client, owner, bedrock_body(role_arn=role_arn))
    assert validations == [{"field": "settings.role_arn", "detail": detail}]


async def test_item21_protocol_and_mantle_region(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    bad = await _validations(client, owner, bedrock_body(protocol="converse"))
    assert bad == [
        {
            "field": "settings.protocol",
            "detail": 'unsupported bedrock protocol "converse", must be one of "invoke-model" or "mantle"',
        }
    ]
    mantle = await _validations(
        client, owner, bedrock_body(region="", role_arn=ARN_EXAMPLE, protocol="mantle")
    )
    assert mantle == [
        {"field": "settings.region", "detail": "region is required for the mantle protocol"}
    ]
    for protocol in ("", "invoke-model", "mantle"):
        response = await client.post(
            API, headers=owner, json=bedrock_body(f"p{len(protocol)}", protocol=protocol)
        )
        assert response.status_code == 201


async def test_item21_patch_checks_role_protocol_and_mantle_region_too(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body())
    response = await client.patch(
        f"{API}/bedrock-prod",
        headers=owner,
        json={
            "settings": {"_type": "bedrock", "_version": 1, "role_arn": "x", "protocol": "mantle"}
        },
    )
    assert [v["field"] for v in response.json()["validations"]] == [
        "settings.role_arn",
        "settings.region",
    ]
