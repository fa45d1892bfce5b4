"""Coder's AI gateway: `/api/v2/ai-gateway/{provider}/…` in the provider's own wire format."""

from __future__ import annotations

import httpx
import httpx2
import openai
from fastapi import FastAPI
from openai.types.chat import ChatCompletionMessageParam

from tests.clients import APP_URL, anthropic_client
from tests.factories import Identities, create_provider, provider_body, unique_name
from tests.fakes.fixtures import StartFake
from tests.gateway.support import gateway_of

HELLO: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hello"}]


async def test_openai_calls_pass_through_with_the_stored_key_only(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("cg")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = openai.AsyncOpenAI(
        api_key=ids.member.token,
        base_url=f"{APP_URL}/api/v2/ai-gateway/{name}/v1",
        http_client=asgi_http,
        max_retries=0,
        default_headers={"Cookie": "coder_session_token=secret", "X-Trace": "kept"},
    )

    completion = await sdk.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    stream = await sdk.chat.completions.create(model="gpt-4o-mini", messages=HELLO, stream=True)
    streamed = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert completion.choices[0].message.content == "fake reply to: hello"
    assert streamed.strip() == "fake reply to: hello"
    sent = fake.server.requests_to("/v1/chat/completions")[-1]
    assert sent.headers["authorization"] == f"Bearer {fake.good_plaintext}"
    assert "cookie" not in sent.headers
    assert sent.headers["x-trace"] == "kept"
    assert ids.member.token not in str(sent.headers)
    assert sent.json()["model"] == "gpt-4o-mini"


async def test_anthropic_messages_pass_through_with_the_x_api_key(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("anthropic")
    name = unique_name("cg")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="anthropic", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    sdk = anthropic_client(asgi_http, ids.member.token)
    sdk = sdk.with_options(base_url=f"{APP_URL}/api/v2/ai-gateway/{name}")

    message = await sdk.messages.create(
        model="claude-3-5-haiku", max_tokens=20, messages=[{"role": "user", "content": "hello"}]
    )

    assert message.content[0].type == "text"
    sent = fake.server.requests_to("/v1/messages")[-1]
    assert sent.headers["x-api-key"] == fake.good_plaintext
    assert sent.headers["anthropic-version"]


async def test_a_disabled_provider_answers_503_on_every_path(
    client: httpx.AsyncClient, asgi_http: httpx2.AsyncClient, ids: Identities
) -> None:
    name = unique_name("cg")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name,
            type="openai",
            base_url="http://127.0.0.1:9/v1",
            keys=["sk-" + "y" * 30],
            enabled=False,
        ),
    )

    response = await asgi_http.get(
        f"/api/v2/ai-gateway/{name}/v1/models", headers=ids.member.headers
    )

    assert response.status_code == 503
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == f'provider_disabled: AI provider "{name}" is disabled\n'


async def test_unknown_providers_and_routes_are_404(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("cg")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )

    unknown = await asgi_http.post(
        "/api/v2/ai-gateway/nobody/v1/chat/completions", headers=ids.member.headers
    )
    unrouted = await asgi_http.post(f"/api/v2/aibridge/{name}/v1/files", headers=ids.member.headers)

    assert unknown.status_code == 404
    assert (
        unknown.text == "route not supported: POST /api/v2/ai-gateway/nobody/v1/chat/completions\n"
    )
    assert unrouted.status_code == 404
    assert unrouted.text == f"route not supported: POST /api/v2/aibridge/{name}/v1/files\n"


async def test_a_key_deleted_through_the_coder_api_is_not_used_on_the_next_request(
    app: FastAPI,
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    fake.server.keys = None  # type: ignore[attr-defined]  # accept any key, to see which one comes
    old, new = "sk-old-" + "a" * 30, "sk-new-" + "b" * 30
    name = unique_name("rot")
    created = await create_provider(
        client,
        ids.admin.headers,
        provider_body(name, type="openai", base_url=fake.target.base_url, keys=[old]),
    )
    body = {"model": f"{name}/gpt-4o", "messages": HELLO}
    first = await asgi_http.post("/v1/chat/completions", headers=ids.member.headers, json=body)

    patched = await client.patch(
        f"/api/v2/ai/providers/{created['id']}",
        headers=ids.admin.headers,
        json={"api_keys": [{"api_key": new}]},
    )
    second = await asgi_http.post("/v1/chat/completions", headers=ids.member.headers, json=body)

    assert (first.status_code, patched.status_code, second.status_code) == (200, 200, 200)
    used = [r.headers["authorization"] for r in fake.server.requests_to("/chat/completions")]
    assert used == [f"Bearer {old}", f"Bearer {new}"]
    deleted = await client.delete(
        f"/api/v2/ai/providers/{created['id']}", headers=ids.admin.headers
    )
    gone = await asgi_http.post("/v1/chat/completions", headers=ids.member.headers, json=body)
    assert deleted.status_code == 204
    assert gone.status_code == 404
    await gateway_of(app).usage.flush()


async def test_an_outsider_cannot_reach_another_workspace_provider(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("cg")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )

    response = await asgi_http.post(
        f"/api/v2/ai-gateway/{name}/v1/chat/completions",
        headers={**ids.outsider.headers, "AIPort-Workspace": "1"},
        json={"model": "gpt-4o", "messages": HELLO},
    )
    own = await asgi_http.post(
        f"/api/v2/ai-gateway/{name}/v1/chat/completions",
        headers=ids.outsider.headers,
        json={"model": "gpt-4o", "messages": HELLO},
    )

    assert response.status_code == 404
    assert own.status_code == 404
    assert fake.server.requests_to("/chat/completions") == []
