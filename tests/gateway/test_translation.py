"""OpenAI-shaped calls translated to the Anthropic, Gemini and Bedrock Converse wire formats."""

from __future__ import annotations

from typing import Any

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from openai.types.chat import ChatCompletionMessageFunctionToolCall

from aiport.adapters import AwsKeys
from tests.clients import openai_client
from tests.factories import (
    Identities,
    create_bedrock_provider,
    create_provider,
    provider_body,
    unique_name,
)
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "additionalProperties": False,
        },
    },
}


async def _provider(
    app: FastAPI, client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, kind: str
) -> tuple[str, Any]:
    fake = await fake_provider(kind)
    name = unique_name(kind[:4])
    if kind == "bedrock":
        assert isinstance(fake.good, AwsKeys)
        await create_bedrock_provider(
            app,
            name=name,
            base_url=fake.target.base_url,
            access_key=fake.good.access_key,
            secret_key=fake.good.secret_key,
        )
    else:
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(
                name, type=kind, base_url=fake.target.base_url, keys=[fake.good_plaintext]
            ),
        )
    return name, fake


@pytest.mark.parametrize(
    ("kind", "model", "path"),
    [
        ("anthropic", "claude-3-5-haiku", "/v1/messages"),
        ("google", "gemini-2.0-flash", "/v1beta/models/gemini-2.0-flash:generateContent"),
        ("bedrock", "anthropic.claude-3-haiku", "/model/anthropic.claude-3-haiku/converse"),
    ],
)
async def test_chat_is_translated_to_the_provider_wire_format(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    kind: str,
    model: str,
    path: str,
) -> None:
    name, fake = await _provider(app, client, ids, fake_provider, kind)
    sdk = openai_client(asgi_http, ids.member.token)

    completion = await sdk.chat.completions.create(
        model=f"{name}/{model}",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "hello there"},
        ],
        max_tokens=50,
    )

    assert completion.choices[0].message.content == "fake reply to: hello there"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (2, 5)
    sent = fake.server.requests[-1]
    assert sent.path == path
    assert "hello there" in sent.body.decode()
    gateway = gateway_of(app)
    await gateway.usage.flush()


@pytest.mark.parametrize("kind", ["anthropic", "google", "bedrock"])
async def test_streamed_chat_is_translated_back_to_openai_chunks(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    kind: str,
) -> None:
    name, _fake = await _provider(app, client, ids, fake_provider, kind)
    sdk = openai_client(asgi_http, ids.member.token)

    stream = await sdk.chat.completions.create(
        model=f"{name}/some-model",
        messages=[{"role": "user", "content": "count to three"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip() == "fake reply to: count to three"
    finishes = [
        c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
    ]
    assert finishes == ["stop"]
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens == 3


@pytest.mark.parametrize("kind", ["anthropic", "google", "bedrock"])
@pytest.mark.parametrize("stream", [False, True])
async def test_tool_calls_are_translated(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    kind: str,
    stream: bool,
) -> None:
    name, fake = await _provider(app, client, ids, fake_provider, kind)
    sdk = openai_client(asgi_http, ids.member.token)
    messages: Any = [{"role": "user", "content": "weather in Paris?"}]

    if stream:
        chunks = [
            c
            async for c in await sdk.chat.completions.create(
                model=f"{name}/m", messages=messages, tools=[WEATHER_TOOL], stream=True
            )
        ]
        calls = [t for c in chunks if c.choices for t in c.choices[0].delta.tool_calls or []]
        arguments = "".join(t.function.arguments or "" for t in calls if t.function)
        names = [t.function.name for t in calls if t.function and t.function.name]
        finish = [
            c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason
        ]
    else:
        completion = await sdk.chat.completions.create(
            model=f"{name}/m", messages=messages, tools=[WEATHER_TOOL]
        )
        tool_calls = [
            t
            for t in completion.choices[0].message.tool_calls or []
            if isinstance(t, ChatCompletionMessageFunctionToolCall)
        ]
        arguments = "".join(t.function.arguments for t in tool_calls)
        names = [t.function.name for t in tool_calls]
        finish = [completion.choices[0].finish_reason]

    assert names == ["get_weather"]
    assert arguments.replace(" ", "") == '{"city":"Paris"}'
    assert finish == ["tool_calls"]
    sent = fake.server.requests[-1].json()
    assert "get_weather" in str(sent)
    assert "additionalProperties" not in str(sent) or kind != "google"


async def test_a_tool_result_goes_back_in_the_provider_shape(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    name, fake = await _provider(app, client, ids, fake_provider, "anthropic")
    sdk = openai_client(asgi_http, ids.member.token)

    await sdk.chat.completions.create(
        model=f"{name}/claude",
        messages=[
            {"role": "user", "content": "weather in Paris?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
        ],
    )

    sent = fake.server.requests[-1].json()
    assert sent["messages"][1]["content"][0] == {
        "type": "tool_use",
        "id": "toolu_1",
        "name": "get_weather",
        "input": {"city": "Paris"},
    }
    assert sent["messages"][2] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"}],
    }


async def test_embeddings_are_translated_to_gemini(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    name, fake = await _provider(app, client, ids, fake_provider, "google")
    sdk = openai_client(asgi_http, ids.member.token)

    result = await sdk.embeddings.create(model=f"{name}/text-embedding-004", input="hello")

    assert len(result.data[0].embedding) == 8
    assert fake.server.requests[-1].path.endswith(":embedContent")
