"""The PATCH body is checked first, and every problem is told in Baserow's shape (spec §5)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.factories import Identities
from tests.surfaces.baserow.support import get_settings, jwt, settings_url


def _leaf(message: str, code: str) -> list[dict[str, str]]:
    return [{"error": message, "code": code}]


NOT_NULL = _leaf("This field may not be null.", "null")
NOT_STRING = _leaf("Not a valid string.", "invalid")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            [],
            {
                "non_field_errors": _leaf(
                    "Invalid data. Expected a dictionary, but got list.", "invalid"
                )
            },
        ),
        (
            "x",
            {
                "non_field_errors": _leaf(
                    "Invalid data. Expected a dictionary, but got str.", "invalid"
                )
            },
        ),
        (None, {"non_field_errors": _leaf("No data provided", "null")}),
        (
            {"openai": "x"},
            {
                "openai": {
                    "non_field_errors": _leaf(
                        "Invalid data. Expected a dictionary, but got str.", "invalid"
                    )
                }
            },
        ),
        ({"openai": None}, {"openai": NOT_NULL}),
        ({"openai": {"api_key": None}}, {"openai": {"api_key": NOT_NULL}}),
        ({"openai": {"organization": None}}, {"openai": {"organization": NOT_NULL}}),
        ({"ollama": {"host": None}}, {"ollama": {"host": NOT_NULL}}),
        ({"openai": {"api_key": True}}, {"openai": {"api_key": NOT_STRING}}),
        ({"anthropic": {"api_key": ["k"]}}, {"anthropic": {"api_key": NOT_STRING}}),
        ({"mistral": {"api_key": {"k": 1}}}, {"mistral": {"api_key": NOT_STRING}}),
        (
            {"openai": {"models": "gpt-4"}},
            {
                "openai": {
                    "models": _leaf('Expected a list of items but got type "str".', "not_a_list")
                }
            },
        ),
        ({"openai": {"models": None}}, {"openai": {"models": NOT_NULL}}),
        (
            {"openai": {"models": ["", "ok", False, "  ", None]}},
            {
                "openai": {
                    "models": {
                        "0": _leaf("This field may not be blank.", "blank"),
                        "2": NOT_STRING,
                        "3": _leaf("This field may not be blank.", "blank"),
                        "4": NOT_NULL,
                    }
                }
            },
        ),
        (
            {"openai": {"api_key": "a\u0000b"}},
            {
                "openai": {
                    "api_key": _leaf(
                        "Null characters are not allowed.", "null_characters_not_allowed"
                    )
                }
            },
        ),
        (
            {"ollama": {"host": "ollama:11434", "models": ["llama3"]}},
            {
                "ollama": {
                    "host": _leaf("Enter a valid URL starting with http:// or https://.", "invalid")
                }
            },
        ),
        (
            {"openai": {"api_key": None, "models": "x"}, "mistral": None},
            {
                "openai": {
                    "models": _leaf('Expected a list of items but got type "str".', "not_a_list"),
                    "api_key": NOT_NULL,
                },
                "mistral": NOT_NULL,
            },
        ),
    ],
)
async def test_item08_bad_bodies_get_baserows_validation_errors(
    client: httpx.AsyncClient, admin: dict[str, str], body: Any, detail: Any
) -> None:
    # `json=None` would send no body at all; JSON null must be sent as text.
    response = await client.patch(settings_url(1), headers=admin, content=json.dumps(body))
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_REQUEST_BODY_VALIDATION", "detail": detail}
    assert await get_settings(client, admin) == {}


async def test_a_lone_surrogate_is_not_a_valid_string(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.patch(
        settings_url(1), headers=admin, content=b'{"openai": {"api_key": "\\ud800"}}'
    )
    assert response.status_code == 400
    assert response.json()["detail"] == {"openai": {"api_key": NOT_STRING}}


@pytest.mark.parametrize(
    "content", [b"{", b'{"openai": NaN}', b"\xff\xfe", b"[" * 100_000, b"1" * 5000]
)
async def test_malformed_json_gets_drfs_parse_error(
    client: httpx.AsyncClient, admin: dict[str, str], content: bytes
) -> None:
    response = await client.patch(settings_url(1), headers=admin, content=content)
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert response.json()["detail"].startswith("JSON parse error - ")


async def test_item08_validation_comes_before_the_workspace_lookup_and_the_permission(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    bad = {"openai": {"models": "gpt-4"}}
    for caller, workspace_id in (
        (ids.admin, 999_999),
        (ids.outsider, 1),
        (ids.member, 1),
    ):
        response = await client.patch(settings_url(workspace_id), headers=jwt(caller), json=bad)
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


async def test_an_oversized_body_is_refused_in_baserows_shape(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    huge = b'{"openai": {"api_key": "' + b"k" * 5_000_000 + b'"}}'
    response = await client.patch(settings_url(1), headers=admin, content=huge)
    assert response.status_code == 413
    assert response.json()["error"] == "ERROR_REQUEST_BODY_TOO_LARGE"
