"""Coder checklist items 7, 8 and 19 (secrets' three states): bytes on the wire as coderd writes them."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI

from aiport.auth.principal import Principal
from aiport.credentials.sealing import aws_pair
from aiport.db.engine import make_sessionmaker
from aiport.providers.service import ProviderService
from aiport.surfaces.coder.schemas import go_time
from aiport.workspaces.access import WorkspaceAccess
from tests.factories import Identities, create_provider
from tests.surfaces.coder.support import API, bedrock_body, openai_body

ARN = "arn:aws:iam::123456789012:role/BedrockRole"
GO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?Z$")


async def test_item07_json_is_compact_utf8_html_escaped_with_a_trailing_newline(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    response = await client.post(
        API, headers=owner, json=openai_body(display_name="<b>Tom & Jerry</b> ü \u2028")
    )
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content.endswith(b"}\n")
    assert (
        b'"display_name":"\\u003cb\\u003eTom \\u0026 Jerry\\u003c/b\\u003e \xc3\xbc \\u2028"'
        in (response.content)
    )
    assert b": " not in response.content


async def test_item07_timestamps_are_rfc3339_utc_as_go_prints_them(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-time-0000000000"]))
    for stamp in (
        created["created_at"],
        created["updated_at"],
        created["api_keys"][0]["created_at"],
    ):
        assert GO_TIME.match(stamp), stamp


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=UTC), "2026-07-01T12:00:00.123456Z"),
        (datetime(2026, 7, 1, 12, 0, 0, 120000, tzinfo=UTC), "2026-07-01T12:00:00.12Z"),
        (datetime(2026, 7, 1, 12, 0, 0, tzinfo=UTC), "2026-07-01T12:00:00Z"),
    ],
)
def test_item07_go_time_drops_trailing_zeros_of_the_fraction(moment: datetime, text: str) -> None:
    assert go_time(moment) == text


async def test_item07_bedrock_settings_are_discriminated_and_sorted_without_secrets(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    body = bedrock_body(
        protocol="invoke-model",
        model="anthropic.claude-3-5-sonnet",
        small_fast_model="anthropic.claude-3-5-haiku",
        access_key="AKIAIOSFODNN7EXAMPLE",
        access_key_secret="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        role_arn=ARN,
    )
    response = await client.post(API, headers=owner, json=body)
    settings = response.json()["settings"]
    assert list(settings) == [
        "_type",
        "_version",
        "external_id",
        "model",
        "protocol",
        "region",
        "role_arn",
        "small_fast_model",
    ]
    assert response.json()["api_keys"] == []
    assert b"access_key" not in response.content
    assert b"AKIAIOSFODNN7EXAMPLE" not in response.content


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("x", "..."),
        ("abcd", "..."),
        ("short", "s...t"),
        ("veryshort", "v...t"),
        ("thisisquitelong", "th...ng"),
        ("sk-ant-api03-abcdefgh", "sk-a...efgh"),
        ("hélloworld🌍!", "hé...🌍!"),
        ("ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh", "ghp_...efgh"),
    ],
)
async def test_item08_keys_are_masked_with_coders_algorithm(
    client: httpx.AsyncClient, owner: dict[str, str], key: str, masked: str
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=[key]))
    assert created["api_keys"][0]["masked"] == masked
    listed = await client.get(API, headers=owner)
    assert listed.json()[0]["api_keys"][0]["masked"] == masked
    if len(key) >= 10:
        assert key.encode() not in listed.content


async def _aws_pair(app: FastAPI, ids: Identities, name: str) -> tuple[str, str] | None:
    """The stored AWS key pair, decrypted the way adapters will read it."""
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        access = WorkspaceAccess(workspace_id=1, role="admin", principal=_principal(ids))
        service = ProviderService(session, app.state.runtime.keyring, access)
        revealed = [c for c in await service.reveal_credentials(name) if c.kind == "aws"]
    if not revealed:
        return None
    assert revealed[0].secret is not None
    return aws_pair(revealed[0].secret.get_secret_value())


def _principal(ids: Identities) -> Principal:
    return Principal(
        user_id=ids.admin.user_id,
        email=ids.admin.email,
        is_admin=True,
        token_id=0,
        token_workspace_id=None,
    )


async def test_item19_patch_secrets_keep_clear_and_replace(
    app: FastAPI, client: httpx.AsyncClient, owner: dict[str, str], ids: Identities
) -> None:
    await create_provider(
        client, owner, bedrock_body(access_key="AKIAOLD00000", access_key_secret="old-secret")
    )
    settings = {"_type": "bedrock", "_version": 1, "region": "eu-west-1"}
    kept = await client.patch(
        f"{API}/bedrock-prod", headers=owner, json={"settings": settings | {"access_key": None}}
    )
    assert kept.status_code == 200
    assert await _aws_pair(app, ids, "bedrock-prod") == ("AKIAOLD00000", "old-secret")
    replaced = settings | {"access_key": "AKIANEW11111"}
    await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": replaced})
    assert await _aws_pair(app, ids, "bedrock-prod") == ("AKIANEW11111", "old-secret")
    cleared = settings | {"access_key": "", "access_key_secret": ""}
    await client.patch(f"{API}/bedrock-prod", headers=owner, json={"settings": cleared})
    assert await _aws_pair(app, ids, "bedrock-prod") is None


async def test_item19_non_secret_bedrock_fields_are_replaced_wholesale(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await create_provider(client, owner, bedrock_body(model="m1", small_fast_model="m2"))
    response = await client.patch(
        f"{API}/bedrock-prod",
        headers=owner,
        json={"settings": {"_type": "bedrock", "_version": 1, "region": "eu-west-1"}},
    )
    assert response.json()["settings"] == {"_type": "bedrock", "_version": 1, "region": "eu-west-1"}


async def test_ids_in_responses_are_canonical_uuids(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    created = await create_provider(client, owner, openai_body(api_keys=["sk-id-000000000000"]))
    for value in (created["id"], created["api_keys"][0]["id"]):
        assert str(uuid.UUID(value)) == value
