"""The fakes speak the real protocols: the vendors' own SDKs and parsers read their answers.

These fakes are what the gateway's tests will call, so their chat handlers are proven here.
"""

from __future__ import annotations

import orjson
from anthropic import AsyncAnthropic
from botocore.eventstream import EventStreamBuffer
from openai import AsyncOpenAI

from aiport.adapters import AdapterRegistry, ApiKey, AwsKeys, UpstreamRequest, UpstreamTarget
from aiport.adapters.http import Upstream
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.bedrock import FakeBedrock
from tests.fakes.google import FakeGemini
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


async def test_openai_sdk_reads_a_completion_a_stream_a_tool_call_and_embeddings() -> None:
    async with FakeOpenAI(keys={"sk-fake-1"}) as fake:
        client = AsyncOpenAI(api_key="sk-fake-1", base_url=fake.base_url, max_retries=0)
        completion = await client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hello there"}]
        )
        stream = await client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "hello there"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        pieces = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        tools = await client.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "weather?"}],
            tools=[WEATHER_TOOL],  # type: ignore[list-item]
        )
        embeddings = await client.embeddings.create(
            model="text-embedding-3-small", input=["a", "b"]
        )
        await client.close()
        recorded = fake.requests_to("/chat/completions")[0]
    assert completion.choices[0].message.content == "fake reply to: hello there"
    assert "".join(pieces).strip() == "fake reply to: hello there"
    call = tools.choices[0].message.tool_calls
    assert call is not None
    assert call[0].function.name == "get_weather"  # type: ignore[union-attr]
    assert len(embeddings.data) == 2
    assert recorded.headers["authorization"] == "Bearer sk-fake-1"


async def test_anthropic_sdk_reads_a_message_a_stream_and_tool_use() -> None:
    async with FakeAnthropic(keys={"sk-ant-fake"}) as fake:
        client = AsyncAnthropic(api_key="sk-ant-fake", base_url=fake.url, max_retries=0)
        message = await client.messages.create(
            model="claude-sonnet-4-20250514",
            max_tokens=64,
            messages=[{"role": "user", "content": "hello there"}],
        )
        async with client.messages.stream(
            model="claude-sonnet-4-20250514",
            max_tokens=64,
            messages=[{"role": "user", "content": "hello there"}],
        ) as stream:
            streamed = await stream.get_final_message()
        tool = await client.messages.create(
            model="claude-sonnet-4-20250514",
            max_tokens=64,
            messages=[{"role": "user", "content": "weather?"}],
            tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
        )
        await client.close()
        recorded = fake.requests_to("/v1/messages")[0]
    assert message.content[0].text == "fake reply to: hello there"  # type: ignore[union-attr]
    assert streamed.content[0].text.strip() == "fake reply to: hello there"  # type: ignore[union-attr]
    assert streamed.stop_reason == "end_turn"
    assert tool.content[0].type == "tool_use"
    sent = recorded.headers.get("x-api-key") or recorded.headers["authorization"]
    assert sent.removeprefix("Bearer ") == "sk-ant-fake"


async def test_gemini_generate_and_stream_generate_content(upstream: Upstream) -> None:
    async with FakeGemini(keys={"AIza-fake"}) as fake:
        target = UpstreamTarget("google", fake.url)
        adapter = AdapterRegistry().get("google")
        body = orjson.dumps({"contents": [{"role": "user", "parts": [{"text": "hello there"}]}]})
        base = f"{fake.url}/v1beta/models/gemini-2.0-flash"
        plain = await upstream.send(
            await adapter.authorize(
                upstream,
                target,
                ApiKey("AIza-fake"),
                UpstreamRequest("POST", f"{base}:generateContent", {}, body),
            )
        )
        streamed = await upstream.send(
            await adapter.authorize(
                upstream,
                target,
                ApiKey("AIza-fake"),
                UpstreamRequest("POST", f"{base}:streamGenerateContent?alt=sse", {}, body),
            )
        )
    parts = plain.json_object()["candidates"][0]["content"]["parts"]
    assert parts == [{"text": "fake reply to: hello there"}]
    events = [
        orjson.loads(line[6:])
        for line in streamed.body.decode().splitlines()
        if line.startswith("data: ")
    ]
    text = "".join(e["candidates"][0]["content"]["parts"][0]["text"] for e in events)
    assert text == "fake reply to: hello there"
    assert streamed.headers["content-type"].startswith("text/event-stream")


async def test_bedrock_converse_stream_is_a_valid_aws_event_stream(upstream: Upstream) -> None:
    async with FakeBedrock(access_key="AKIAFAKE1", secret_key="secret-1") as fake:
        target = UpstreamTarget("bedrock", fake.url, {"region": "us-east-1"})
        body = orjson.dumps({"messages": [{"role": "user", "content": [{"text": "hello there"}]}]})
        url = f"{fake.url}/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream"
        request = (
            await AdapterRegistry()
            .get("bedrock")
            .authorize(
                upstream,
                target,
                AwsKeys("AKIAFAKE1", "secret-1"),
                UpstreamRequest("POST", url, {}, body),
            )
        )
        response = await upstream.send(request)
    assert response.status == 200, response.body
    buffer = EventStreamBuffer()
    buffer.add_data(response.body)
    events = [(m.headers[":event-type"], orjson.loads(m.payload)) for m in buffer]
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "messageStart"
    assert kinds[-2:] == ["messageStop", "metadata"]
    text = "".join(p["delta"]["text"] for k, p in events if k == "contentBlockDelta")
    assert text.strip() == "fake reply to: hello there"


async def test_ollama_native_chat_streams_ndjson(upstream: Upstream) -> None:
    async with FakeOllama() as fake:
        body = orjson.dumps(
            {"model": "llama3.2", "messages": [{"role": "user", "content": "hello there"}]}
        )
        response = await upstream.send(UpstreamRequest("POST", f"{fake.url}/api/chat", {}, body))
    lines = [orjson.loads(line) for line in response.body.splitlines()]
    assert lines[-1]["done"] is True
    assert (
        "".join(line["message"]["content"] for line in lines).strip()
        == "fake reply to: hello there"
    )
