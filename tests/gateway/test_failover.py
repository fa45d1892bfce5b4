"""Several keys per provider: weighted round-robin, failover with cooldowns, exhaustion."""

from __future__ import annotations

import uuid
from collections import Counter

import httpx
import httpx2
import openai
import pytest
from aiohttp import web
from fastapi import FastAPI
from openai.types.chat import ChatCompletionMessageParam

from aiport.adapters import ApiKey
from aiport.gateway.keys import Cooldowns, Key, KeyPool
from tests.clients import openai_client
from tests.factories import Identities, create_provider, provider_body, unique_name
from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import bearer
from tests.gateway.support import gateway_of

HELLO: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


class PickyOpenAI(FakeOpenAI):
    """Keys in `limited` get a 429 with `retry-after`, keys in `broken` a 500."""

    def __init__(
        self,
        keys: set[str],
        *,
        limited: frozenset[str] = frozenset(),
        broken: frozenset[str] = frozenset(),
    ):
        super().__init__(keys=keys | limited | broken)
        self.limited = set(limited)
        self.broken = set(broken)

    async def chat(self, request: web.Request) -> web.StreamResponse:
        key = bearer(request)
        if key in self.limited:
            return self.error(
                429, "rate_limit_exceeded", "slow down", headers={"retry-after": "120"}
            )
        if key in self.broken:
            return self.error(500, "server_error", f"broken for {key}")
        return await super().chat(request)


def _keys_used(fake: FakeOpenAI) -> list[str]:
    return [
        r.headers["authorization"].removeprefix("Bearer ")
        for r in fake.requests_to("/chat/completions")
    ]


async def test_a_rate_limited_key_fails_over_and_cools_down(
    app: FastAPI, client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    first, second = "sk-first-" + uuid.uuid4().hex, "sk-second-" + uuid.uuid4().hex
    async with PickyOpenAI({second}, limited=frozenset({first})) as fake:
        name = unique_name("fo")
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(name, type="openai", base_url=fake.base_url, keys=[first, second]),
        )
        sdk = openai_client(asgi_http, ids.member.token)

        for _ in range(4):
            completion = await sdk.chat.completions.create(model=f"{name}/gpt-4o", messages=HELLO)
            assert completion.choices[0].message.content == "fake reply to: hello"

        used = _keys_used(fake)
        # The limited key was tried once, then rested (retry-after: 120) while the other served.
        assert used.count(first) == 1
        assert used.count(second) == 4
        await gateway_of(app).usage.flush()


async def test_all_keys_rate_limited_is_a_429_with_retry_after(
    client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    first, second = "sk-a-" + uuid.uuid4().hex, "sk-b-" + uuid.uuid4().hex
    async with PickyOpenAI(set(), limited=frozenset({first, second})) as fake:
        name = unique_name("fo")
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(name, type="openai", base_url=fake.base_url, keys=[first, second]),
        )

        response = await asgi_http.post(
            "/v1/chat/completions",
            headers=ids.member.headers,
            json={"model": f"{name}/gpt-4o", "messages": HELLO},
        )
        again = await asgi_http.post(
            "/v1/chat/completions",
            headers=ids.member.headers,
            json={"model": f"{name}/gpt-4o", "messages": HELLO},
        )

    assert response.status_code == 429
    assert 110 <= int(response.headers["retry-after"]) <= 120
    error = response.json()["error"]
    assert error["code"] == "keys_exhausted"
    assert error["type"] == "rate_limit_error"
    assert f'all API keys of AI provider "{name}" are rate limited' in error["message"]
    # While both rest, the provider is not even called.
    assert again.status_code == 429
    assert len(fake.requests_to("/chat/completions")) == 2


async def test_all_keys_failing_is_a_502_without_the_keys(
    client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    broken, refused = "sk-broken-" + uuid.uuid4().hex, "sk-refused-" + uuid.uuid4().hex
    async with PickyOpenAI(set(), broken=frozenset({broken})) as fake:
        name = unique_name("fo")
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(name, type="openai", base_url=fake.base_url, keys=[broken, refused]),
        )

        response = await asgi_http.post(
            "/v1/chat/completions",
            headers=ids.member.headers,
            json={"model": f"{name}/gpt-4o", "messages": HELLO},
        )

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "keys_exhausted"
    assert "failing" in response.json()["error"]["message"]
    assert broken not in response.text
    assert refused not in response.text
    assert sorted(_keys_used(fake)) == sorted([broken, refused])


async def test_an_unreachable_provider_is_a_502(
    client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities, closed_port: int
) -> None:
    name = unique_name("down")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=f"http://127.0.0.1:{closed_port}/v1", keys=["sk-x" * 8]
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    response = await asgi_http.post(
        "/v1/chat/completions",
        headers=ids.member.headers,
        json={"model": f"{name}/gpt-4o", "messages": HELLO},
    )

    assert response.status_code == 502
    assert "cannot reach the provider" in response.json()["error"]["message"]
    del sdk


async def test_a_disabled_provider_is_a_503(
    client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    name = unique_name("off")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name,
            type="openai",
            base_url="http://127.0.0.1:9/v1",
            keys=["sk-" + "x" * 30],
            enabled=False,
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    with pytest.raises(openai.InternalServerError) as raised:
        await sdk.chat.completions.create(model=f"{name}/gpt-4o", messages=HELLO)

    assert raised.value.status_code == 503
    assert raised.value.code == "provider_disabled"


def _pool(weights: list[int]) -> KeyPool:
    return KeyPool([Key(uuid.uuid4(), ApiKey(f"k{i}"), w, i) for i, w in enumerate(weights)])


def test_weighted_round_robin_follows_the_weights() -> None:
    pool = _pool([3, 1])
    cooldowns = Cooldowns()

    firsts = Counter(pool.attempt_order(cooldowns)[0][0].position for _ in range(400))

    assert firsts == {0: 300, 1: 100}


def test_a_cooling_key_is_skipped_until_it_has_rested() -> None:
    pool = _pool([1, 1])
    cooldowns = Cooldowns()
    cooldowns.cool(pool.keys[0], 60, rate_limited=True, reason="429")

    orders = [[k.position for k in pool.attempt_order(cooldowns)[0]] for _ in range(3)]

    assert orders == [[1], [1], [1]]
