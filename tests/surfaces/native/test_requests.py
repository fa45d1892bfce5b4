"""Bad input from outside is a 4xx problem document, never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import Identities


async def test_malformed_json_is_a_422_problem(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/workspaces",
        content=b'{"name": "x",',
        headers=ids.admin.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "request_invalid"


@pytest.mark.parametrize("body", [b"[]", b'"name"', b"null", b"42", b""])
async def test_a_body_that_is_not_an_object_is_422(
    client: httpx.AsyncClient, ids: Identities, body: bytes
) -> None:
    response = await client.post(
        "/api/v1/workspaces",
        content=body,
        headers=ids.admin.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_body_sent_as_text_is_422(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/workspaces",
        content=b'{"name": "x"}',
        headers=ids.admin.headers | {"Content-Type": "text/plain"},
    )
    assert response.status_code == 422


async def test_a_huge_body_is_413(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/workspaces",
        content=b'{"name": "' + b"x" * 2_000_000 + b'"}',
        headers=ids.admin.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/workspaces/abc/members",
        "/api/v1/workspaces/0/members",
        "/api/v1/workspaces/99999999999999999999/members",
        "/api/v1/workspaces/-1/audit",
    ],
)
async def test_a_workspace_id_that_is_not_a_valid_id_is_422(
    client: httpx.AsyncClient, ids: Identities, path: str
) -> None:
    response = await client.get(path, headers=ids.admin.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_token_id_too_large_for_the_database_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.delete("/api/v1/tokens/4294967296", headers=ids.admin.headers)
    assert response.status_code == 422


async def test_ids_in_a_body_too_large_for_the_database_are_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.post(
        "/api/v1/tokens",
        json={"name": "x", "workspace_id": 2**40},
        headers=ids.admin.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "workspace_id"


async def test_an_id_sent_as_a_string_is_422(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        "/api/v1/tokens", json={"name": "x", "workspace_id": "1"}, headers=ids.admin.headers
    )
    assert response.status_code == 422


async def test_a_wrong_method_is_a_405_problem(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.patch("/api/v1/users/me", headers=ids.admin.headers)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_login_with_a_nul_in_the_email_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "a\u0000@example.com", "password": "x"}
    )
    assert response.status_code == 422


async def test_login_with_a_huge_password_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "a@example.com", "password": "p" * 5000}
    )
    assert response.status_code == 422
