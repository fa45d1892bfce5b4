"""Rate limits per token and per workspace, usage records and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aiport.app import create_app
from aiport.config import Settings
from aiport.db.tables import UsageRecord
from aiport.gateway.repository import USAGE_COLUMNS
from aiport.gateway.schemas import Usage
from aiport.gateway.usage import _row
from tests.clients import APP_URL
from tests.factories import Identities, create_provider, make_identities, provider_body, unique_name
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of

HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture
async def limited_app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings.model_copy(
            update={"gateway_rate_limit_per_token": 2, "gateway_rate_limit_window": 3600}
        )
    )
    async with application.router.lifespan_context(application):
        yield application


async def test_a_token_over_its_rate_limit_gets_429(
    limited_app: FastAPI, fake_provider: StartFake
) -> None:
    ids = await make_identities(limited_app)
    fake = await fake_provider("openai")
    transport = httpx.ASGITransport(app=limited_app)
    async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as http:
        name = unique_name("rl")
        await create_provider(
            http,
            ids.admin.headers,
            provider_body(
                name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
            ),
        )
        body = {"model": f"{name}/gpt-4o", "messages": HELLO}
        statuses = [
            (
                await http.post("/v1/chat/completions", headers=ids.member.headers, json=body)
            ).status_code
            for _ in range(3)
        ]
        limited = await http.post("/v1/chat/completions", headers=ids.member.headers, json=body)
        other_token = await http.post("/v1/chat/completions", headers=ids.admin.headers, json=body)

    assert statuses == [200, 200, 429]
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) > 0
    assert other_token.status_code == 200
    assert len(fake.server.requests_to("/chat/completions")) == 3
    await gateway_of(limited_app).usage.flush()


async def test_usage_is_recorded_in_batches_with_tokens_and_key(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    session: AsyncSession,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("use")
    created = await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    body = {"model": f"{name}/gpt-4o", "messages": [{"role": "user", "content": "one two three"}]}
    # The background writer stops, so both calls wait for the one flush below (on a slow
    # machine its 0.25 s tick could otherwise write the first before the second is made).
    await gateway_of(app).usage.stop()

    ok = await asgi_http.post("/v1/chat/completions", headers=ids.member.headers, json=body)
    missing = await asgi_http.post(
        "/v1/chat/completions", headers=ids.member.headers, json={**body, "model": f"{name}x/m"}
    )
    written = await gateway_of(app).usage.flush()

    assert (ok.status_code, missing.status_code, written) == (200, 404, 2)
    rows = (await session.execute(select(UsageRecord).order_by(UsageRecord.id))).scalars().all()
    assert [(r.status, r.endpoint, r.user_id) for r in rows] == [
        (200, "chat", ids.member.user_id),
        (404, "chat", ids.member.user_id),
    ]
    first = rows[0]
    assert (first.provider_name, first.model, first.input_tokens, first.output_tokens) == (
        name,
        "gpt-4o",
        3,
        6,
    )
    assert str(first.credential_id) == created["api_keys"][0]["id"]
    assert first.latency_ms >= first.overhead_ms > 0
    metrics = (await client.get("/metrics")).text
    assert (
        f'aiport_gateway_requests_total{{endpoint="chat",provider="{name}",status="200"}}'
        in metrics
    )
    assert f'aiport_gateway_tokens_total{{direction="out",provider="{name}"}}' in metrics


async def test_every_gateway_response_says_its_overhead(
    asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    unauthenticated = await asgi_http.post("/v1/chat/completions", json={})
    unknown = await asgi_http.get("/v1/nothing", headers=ids.member.headers)
    models = await asgi_http.get("/v1/models", headers=ids.member.headers)

    for response in (unauthenticated, unknown, models):
        assert float(response.headers["x-aiport-overhead-ms"]) >= 0
    assert unauthenticated.status_code == 401
    assert unknown.status_code == 404
    assert models.json() == {"object": "list", "data": []}


async def test_a_body_over_the_gateway_limit_is_413(settings: Settings) -> None:
    application = create_app(settings.model_copy(update={"gateway_max_body_bytes": 100}))
    async with application.router.lifespan_context(application):
        ids = await make_identities(application)
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as http:
            response = await http.post(
                "/v1/chat/completions", headers=ids.member.headers, content=b"{" + b" " * 200 + b"}"
            )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_usage_rows_are_built_in_the_table_column_order() -> None:
    usage = Usage(
        workspace_id=1, user_id=2, token_id=3, endpoint="chat", provider_name="p", model="m",
        input_tokens=4, output_tokens=5, status=200, failovers=6, created_at=0.0,
    )  # fmt: skip

    row = dict(zip(USAGE_COLUMNS, _row(usage), strict=True))

    assert (row["workspace_id"], row["user_id"], row["token_id"], row["endpoint"]) == (
        1,
        2,
        3,
        "chat",
    )
    assert (row["input_tokens"], row["output_tokens"], row["status"], row["failovers"]) == (
        4,
        5,
        200,
        6,
    )
    assert row["created_at"].year == 1970
