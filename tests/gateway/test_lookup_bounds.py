"""Inputs bounded before any lookup (DESIGN §3, §5): an over-long token is refused on every
surface without a query or a cache entry, and a padded `AIPort-Workspace` header is no new
cache entry."""

from __future__ import annotations

import httpx
import httpx2
import pytest
from fastapi import FastAPI

from aiport.auth.tokens import MAX_TOKEN_LENGTH
from tests.factories import Identities
from tests.gateway.support import gateway_of

TOO_LONG = "t" * (MAX_TOKEN_LENGTH + 1)


@pytest.mark.parametrize("header", ["Authorization", "X-Api-Key", "Coder-Session-Token"])
async def test_an_over_long_token_is_refused_by_the_gateway_and_not_remembered(
    app: FastAPI, asgi_http: httpx2.AsyncClient, header: str
) -> None:
    value = f"Bearer {TOO_LONG}" if header == "Authorization" else TOO_LONG

    response = await asgi_http.get("/v1/models", headers={header: value})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert len(gateway_of(app).callers) == 0


async def test_an_over_long_token_is_refused_by_the_management_apis(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    native = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {TOO_LONG}"})
    coder = await client.get("/api/v2/ai/providers", headers={"Coder-Session-Token": TOO_LONG})
    coder_cookie = await client.get(
        "/api/v2/ai/providers", headers={"Cookie": f"coder_session_token={TOO_LONG}"}
    )

    assert native.status_code == 401
    assert native.headers["content-type"] == "application/problem+json"
    assert (coder.status_code, coder_cookie.status_code) == (401, 401)
    assert len(app.state.runtime.principals) == 0


async def test_a_token_of_the_longest_length_is_still_looked_up(
    asgi_http: httpx2.AsyncClient,
) -> None:
    response = await asgi_http.get(
        "/v1/models", headers={"Authorization": f"Bearer {'t' * MAX_TOKEN_LENGTH}"}
    )

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


async def test_a_padded_workspace_header_shares_the_plain_ones_cache_entry(
    app: FastAPI, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    plain = await asgi_http.get(
        "/v1/models", headers={**ids.member.headers, "AIPort-Workspace": "1"}
    )
    padded = await asgi_http.get(
        "/v1/models", headers={**ids.member.headers, "AIPort-Workspace": "1" + " " * 4000}
    )

    assert (plain.status_code, padded.status_code) == (200, 200)
    assert len(gateway_of(app).callers) == 1
