"""Every token scheme of DESIGN §3 on `/api/v1/users/me`, and what a bad one gets."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.factories import Identities

SCHEMES: dict[str, Callable[[str], dict[str, str]]] = {
    "authorization-bearer": lambda t: {"Authorization": f"Bearer {t}"},
    "authorization-bearer-lowercase": lambda t: {"Authorization": f"bearer {t}"},
    "authorization-jwt": lambda t: {"Authorization": f"JWT {t}"},
    "authorization-token": lambda t: {"Authorization": f"Token {t}"},
    "coder-session-token": lambda t: {"Coder-Session-Token": t},
    "x-api-key": lambda t: {"X-Api-Key": t},
}


@pytest.mark.parametrize("scheme", list(SCHEMES))
async def test_every_token_scheme_authenticates(
    client: httpx.AsyncClient, ids: Identities, scheme: str
) -> None:
    response = await client.get("/api/v1/users/me", headers=SCHEMES[scheme](ids.member.token))
    assert response.status_code == 200
    assert response.json()["id"] == ids.member.user_id


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-real-token"},
        {"X-Api-Key": "not-a-real-token"},
        {"Coder-Session-Token": "   "},
    ],
    ids=["none", "empty-bearer", "basic", "unknown-bearer", "unknown-api-key", "blank-coder"],
)
@pytest.mark.usefixtures("ids")
async def test_a_missing_or_unknown_token_is_401(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.get("/api/v1/users/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] in {"missing_token", "invalid_token"}
