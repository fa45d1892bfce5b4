"""`/v1/messages` with the official `anthropic` SDK, to Anthropic itself and translated."""

from __future__ import annotations

import anthropic
import httpx
import httpx2
import pytest
from fastapi import FastAPI

from tests.clients import anthropic_client
from tests.factories import (
    Identities,
    create_bedrock_provider,
    create_provider,
    provider_body,
    unique_name,
)
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of

WEATHER = {
    "name": "get_weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


async def _provider(
    client: httpx.AsyncClient, ids: Identities, fake_provider: StartFake, kind: str
) -> tuple[str, object]:
    fake = await fake_provider(kind)
    name = unique_name(kind[:4])
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(name, type=kind, base_url=fake.target.base_url, keys=[fake.good_plaintext]),
    )
    return name, fake


async def test_messages_pass_through_to_anthropic_with_the_stored_key(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("anthropic")
    name = unique_name("anth")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="anthropic", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = anthropic_client(asgi_http, ids.member.token)

    message = await sdk.messages.create(
        model=f"{name}/claude-3-5-haiku",
        max_tokens=100,
        messages=[{"role": "user", "content": "hello there"}],
    )

    assert message.content[0].type == "text"
    assert message.content[0].text == "fake reply to: hello there"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (2, 5)
    sent = fake.server.requests_to("/v1/messages")[-1]
    assert sent.headers["x-api-key"] == fake.good_plaintext
    assert sent.json()["model"] == "claude-3-5-haiku"
    gateway = gateway_of(app)
    assert await gateway.usage.flush() == 1


async def test_streamed_messages_pass_through_unchanged(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    name, _ = await _provider(client, ids, fake_provider, "anthropic")
    sdk = anthropic_client(asgi_http, ids.member.token)

    async with sdk.messages.stream(
        model=f"{name}/claude-3-5-haiku",
        max_tokens=100,
        messages=[{"role": "user", "content": "count to three"}],
    ) as stream:
        text = await stream.get_final_text()
        final = await stream.get_final_message()

    assert text.strip() == "fake reply to: count to three"
    assert final.stop_reason == "end_turn"


async def test_messages_are_translated_for_an_openai_provider(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    name, fake = await _provider(client, ids, fake_provider, "openai")
    sdk = anthropic_client(asgi_http, ids.member.token)

    message = await sdk.messages.create(
        model=f"{name}/gpt-4o-mini",
        max_tokens=100,
        system="Be brief.",
        messages=[{"role": "user", "content": "hello there"}],
    )

    assert message.content[0].type == "text"
    assert message.content[0].text == "fake reply to: hello there"
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens == 2
    sent = fake.server.requests_to("/chat/completions")[-1].json()  # type: ignore[attr-defined]
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}


async def test_streamed_tool_use_is_translated_for_an_openai_provider(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    name, _ = await _provider(client, ids, fake_provider, "openai")
    sdk = anthropic_client(asgi_http, ids.member.token)

    async with sdk.messages.stream(
        model=f"{name}/gpt-4o",
        max_tokens=100,
        tools=[WEATHER],  # type: ignore[list-item]
        messages=[{"role": "user", "content": "weather in Paris?"}],
    ) as stream:
        final = await stream.get_final_message()

    assert final.stop_reason == "tool_use"
    block = final.content[0]
    assert block.type == "tool_use"
    assert (block.name, block.input) == ("get_weather", {"city": "Paris"})
    assert final.usage.output_tokens > 0


@pytest.mark.parametrize("kind", ["google", "bedrock"])
async def test_messages_reach_gemini_and_bedrock_through_the_hub(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    kind: str,
) -> None:
    fake = await fake_provider(kind)
    name = unique_name(kind[:4])
    if kind == "bedrock":
        await create_bedrock_provider(
            app,
            name=name,
            base_url=fake.target.base_url,
            access_key=fake.good.access_key,  # type: ignore[union-attr]
            secret_key=fake.good.secret_key,  # type: ignore[union-attr]
        )
    else:
        await create_provider(
            client,
            ids.admin.headers,
            provider_body(
                name, type=kind, base_url=fake.target.base_url, keys=[fake.good_plaintext]
            ),
        )
    sdk = anthropic_client(asgi_http, ids.member.token)

    async with sdk.messages.stream(
        model=f"{name}/m", max_tokens=50, messages=[{"role": "user", "content": "hi you"}]
    ) as stream:
        text = await stream.get_final_text()

    assert text.strip() == "fake reply to: hi you"


async def test_errors_come_in_anthropic_shape(
    asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    sdk = anthropic_client(asgi_http, ids.member.token)

    with pytest.raises(anthropic.NotFoundError) as raised:
        await sdk.messages.create(
            model="nowhere/claude", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )

    assert raised.value.body == {
        "type": "error",
        "error": {
            "type": "not_found_error",
            "message": "model 'nowhere/claude' not found: use <provider name>/<model>",
        },
    }
