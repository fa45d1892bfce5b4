"""`model` may name a registered (Xagent) model by its `model_id` instead of `<provider>/<model>`."""

from __future__ import annotations

import httpx
import httpx2

from tests.clients import openai_client
from tests.factories import (
    Identities,
    create_provider,
    provider_body,
    register_model,
    unique_model_id,
    unique_name,
)
from tests.fakes.fixtures import StartFake

HELLO = [{"role": "user", "content": "hello"}]


async def test_a_registered_model_with_its_own_key_is_called_with_it(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    model_id = unique_model_id()
    await register_model(
        client,
        ids.member.headers,
        model_id=model_id,
        model_provider="openai",
        model_name="gpt-4o-mini",
        base_url=fake.target.base_url,
        api_key=fake.good_plaintext,
    )
    sdk = openai_client(asgi_http, ids.member.token)

    completion = await sdk.chat.completions.create(model=model_id, messages=HELLO)  # type: ignore[arg-type]

    assert completion.choices[0].message.content == "fake reply to: hello"
    sent = fake.server.requests_to("/chat/completions")[-1]
    assert sent.json()["model"] == "gpt-4o-mini"
    assert sent.headers["authorization"] == f"Bearer {fake.good_plaintext}"


async def test_a_registered_model_drawing_on_a_provider_uses_the_provider_keys(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("prov")
    await create_provider(
        client,
        ids.admin.headers,
        provider_body(
            name, type="openai", base_url=fake.target.base_url, keys=[fake.good_plaintext]
        ),
    )
    model_id = unique_model_id()
    await register_model(
        client, ids.member.headers, model_id=model_id, aiport_provider=name, api_key=None
    )

    response = await asgi_http.post(
        "/v1/chat/completions",
        headers=ids.member.headers,
        json={"model": model_id, "messages": HELLO},
    )
    hidden = await asgi_http.post(
        "/v1/chat/completions",
        headers=ids.admin.headers,
        json={"model": model_id, "messages": HELLO},
    )

    assert response.status_code == 200, response.text
    assert fake.server.requests_to("/chat/completions")[-1].json()["model"] == "gpt-4o"
    # A private model is the member's own: the admin does not see it.
    assert hidden.status_code == 404
