"""Authentication and framework errors on `/api/models`, in FastAPI's `{"detail": …}` shape."""

from __future__ import annotations

from datetime import timedelta

import httpx
import orjson
from fastapi import FastAPI
from sqlalchemy import update

from aiport.db.engine import make_sessionmaker
from aiport.db.tables import Token
from aiport.db.types import utcnow
from tests.factories import Identities
from tests.surfaces.xagent.support import BASE


async def test_a_missing_token_is_401_not_authenticated(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_wrong_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/categories", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid authentication credentials"}


async def test_an_expired_token_is_401_token_expired(
    client: httpx.AsyncClient, app: FastAPI, ids: Identities
) -> None:
    async with make_sessionmaker(app.state.runtime.engine)() as session, session.begin():
        await session.execute(
            update(Token)
            .where(Token.user_id == ids.member.user_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    response = await client.get(f"{BASE}/", headers=ids.member.headers)
    assert (response.status_code, response.json()) == (401, {"detail": "Token expired"})


async def test_every_route_but_the_open_ones_needs_a_token(client: httpx.AsyncClient) -> None:
    closed = [
        ("GET", "/"),
        ("POST", "/register"),
        ("GET", "/m"),
        ("PUT", "/m"),
        ("DELETE", "/m"),
        ("GET", "/by-id/a/b"),
        ("GET", "/categories"),
        ("GET", "/summary"),
        ("GET", "/default/general"),
        ("GET", "/user-default"),
        ("POST", "/test"),
        ("POST", "/providers/fetch"),
    ]
    for method, path in closed:
        response = await client.request(method, f"{BASE}{path}")
        assert response.status_code == 401, (method, path)
    for path in ("/providers/supported", "/types/available", "/public/list"):
        assert (await client.get(f"{BASE}{path}")).status_code == 200, path


async def test_an_unknown_method_is_405_in_fastapis_words(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    response = await client.patch(f"{BASE}/categories", headers=ids.member.headers)
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})


async def test_malformed_json_is_422(client: httpx.AsyncClient, ids: Identities) -> None:
    response = await client.post(
        f"{BASE}/register",
        content=b'{"model_id": "x", "api_key": "sk-broken',
        headers={**ids.member.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert "sk-broken" not in response.text


async def test_text_no_database_can_store_is_422(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    base = {"model_id": "m", "model_provider": "openai", "model_name": "gpt-4o"}
    bodies = [
        orjson.dumps({**base, **fields})
        for fields in (
            {"model_id": "a\x00b"},
            {"description": "nul \x00 inside"},
            {"abilities": ["chat\x00"]},
        )
    ]
    # An unpaired surrogate, which JSON can carry as an escape but UTF-8 cannot store.
    bodies.append(orjson.dumps(base)[:-1] + b', "api_key": "sk-\\ud800-lone"}')
    for content in bodies:
        response = await client.post(
            f"{BASE}/register",
            content=content,
            headers={**ids.member.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422, (content, response.text)


async def test_nul_in_a_path_or_query_is_simply_nothing_found(
    client: httpx.AsyncClient, ids: Identities
) -> None:
    headers = ids.member.headers
    assert (await client.get(f"{BASE}/a%00b", headers=headers)).status_code == 404
    assert (await client.delete(f"{BASE}/by-id/a%00b", headers=headers)).status_code == 404
    listed = await client.get(f"{BASE}/?category=llm%00&model_provider=x%00", headers=headers)
    assert (listed.status_code, listed.json()) == (200, [])
    public = await client.get(f"{BASE}/public/list?category=%00")
    assert public.status_code == 200
    tested = await client.post(f"{BASE}/test", json={"model_ids": ["a\x00"]}, headers=headers)
    assert (tested.status_code, tested.json()) == (200, [])
    default = await client.post(
        f"{BASE}/user-default",
        json={"model_id": -(10**30), "config_type": "general"},
        headers=headers,
    )
    assert default.status_code == 404
