"""`/v1/chat/completions`, `/v1/embeddings`, `/v1/models` with the official `openai` SDK."""

from __future__ import annotations

import httpx
import httpx2
import openai
import pytest
from fastapi import FastAPI
from openai.types.chat import ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam

from tests.clients import openai_client
from tests.factories import Identities, create_provider, provider_body, unique_name
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of


async def test_chat_completion_reaches_the_provider_with_the_stored_key(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    raw = await sdk.chat.completions.with_raw_response.create(
        model=f"{name}/gpt-4o-mini", messages=[{"role": "user", "content": "hello there"}]
    )
    completion = raw.parse()

    assert completion.choices[0].message.content == "fake reply to: hello there"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == 2
    assert float(raw.headers["x-aiport-overhead-ms"]) >= 0
    sent = fake.server.requests_to("/chat/completions")[-1]
    assert sent.headers["authorization"] == f"Bearer {fake.good_plaintext}"
    assert ids.member.token not in str(sent.headers)
    assert sent.json()["model"] == "gpt-4o-mini"
    assert await gateway_of(app).usage.flush() == 1


async def test_streamed_chat_completion_arrives_in_chunks(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    stream = await sdk.chat.completions.create(
        model=f"{name}/gpt-4o-mini",
        messages=[{"role": "user", "content": "count to three"}],
        stream=True,
    )
    chunks = [chunk async for chunk in stream]

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip() == "fake reply to: count to three"
    # The gateway asked for usage on its own account; the caller did not, so it sees none.
    assert all(c.usage is None for c in chunks)
    assert fake.server.requests_to("/chat/completions")[-1].json()["stream_options"] == {
        "include_usage": True
    }


async def test_tool_calls_come_back_through_the_gateway(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    completion = await sdk.chat.completions.create(
        model=f"{name}/gpt-4o",
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                },
            }
        ],
    )

    message = completion.choices[0].message
    assert completion.choices[0].finish_reason == "tool_calls"
    assert message.tool_calls is not None
    call = message.tool_calls[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert call.function.name == "get_weather"
    assert call.function.arguments == '{"city": "Paris"}'


async def test_embeddings_pass_through(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = openai_client(asgi_http, ids.member.token)

    result = await sdk.embeddings.create(
        model=f"{name}/text-embedding-3-small", input=["one", "two"]
    )

    assert [len(d.embedding) for d in result.data] == [8, 8]
    assert result.usage.prompt_tokens == 2


async def test_models_lists_what_the_caller_may_use(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    await create_provider(client, ids.admin.headers, provider_body(unique_name("off"), type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext], enabled=False))  # fmt: skip
    sdk = openai_client(asgi_http, ids.member.token)

    listed = [m.id async for m in sdk.models.list()]

    assert listed == [f"{name}/{m}" for m in sorted(fake.model_ids)]


async def test_unknown_model_is_a_404_in_openai_shape(
    asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    sdk = openai_client(asgi_http, ids.member.token)

    with pytest.raises(openai.NotFoundError) as raised:
        await sdk.chat.completions.create(
            model="nowhere/gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )

    assert raised.value.code == "model_not_found"


async def test_a_bad_token_is_a_401_in_openai_shape(asgi_http: httpx2.AsyncClient) -> None:
    sdk = openai_client(asgi_http, "not-a-token")

    with pytest.raises(openai.AuthenticationError) as raised:
        await sdk.chat.completions.create(
            model="x/gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )

    assert raised.value.code == "invalid_token"


async def test_a_token_deleted_through_the_api_stops_working_at_the_gateway_at_once(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("oa")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    issued = await client.post("/api/v1/tokens", json={"name": "app"}, headers=ids.member.headers)
    assert issued.status_code == 201
    sdk = openai_client(asgi_http, issued.json()["token"])
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]
    await sdk.chat.completions.create(model=f"{name}/gpt-4o-mini", messages=messages)

    deleted = await client.delete(
        f"/api/v1/tokens/{issued.json()['id']}", headers=ids.member.headers
    )
    assert deleted.status_code == 204

    with pytest.raises(openai.AuthenticationError):
        await sdk.chat.completions.create(model=f"{name}/gpt-4o-mini", messages=messages)
