"""`AIPort-Workspace` values that name no possible workspace: each gateway surface answers 404 in
its own shape, never 500 (the header goes through the one workspace resolver)."""

from __future__ import annotations

import httpx
import httpx2
import pytest

from tests.factories import Identities, create_provider, provider_body, unique_name
from tests.fakes.fixtures import StartFake

BAD_HEADERS = ["99999999999", "-1", "abc"]


@pytest.mark.parametrize("header", BAD_HEADERS)
async def test_models_answers_openais_404(
    asgi_http: httpx2.AsyncClient, ids: Identities, header: str
) -> None:
    response = await asgi_http.get(
        "/v1/models", headers={**ids.member.headers, "AIPort-Workspace": header}
    )

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("invalid_request_error", "workspace_not_found")


@pytest.mark.parametrize("header", BAD_HEADERS)
async def test_chat_completions_answers_openais_404(
    asgi_http: httpx2.AsyncClient, ids: Identities, header: str
) -> None:
    response = await asgi_http.post(
        "/v1/chat/completions",
        headers={**ids.member.headers, "AIPort-Workspace": header},
        json={"model": "p/gpt-4o", "messages": [{"role": "user", "content": "hello"}]},
    )

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("invalid_request_error", "workspace_not_found")


@pytest.mark.parametrize("header", BAD_HEADERS)
async def test_coder_pass_through_answers_coders_404(
    client: httpx.AsyncClient,
    asgi_http: httpx2.AsyncClient,
    ids: Identities,
    fake_provider: StartFake,
    header: str,
) -> None:
    fake = await fake_provider("openai")
    name = unique_name("cg")
    await create_provider(
        client, ids.admin.headers, provider_body(name, base_url=fake.target.base_url, keys=["k"])
    )

    response = await asgi_http.post(
        f"/api/v2/ai-gateway/{name}/v1/chat/completions",
        headers={**ids.member.headers, "AIPort-Workspace": header},
        json={"model": "gpt-4o", "messages": [{"role": "user", "content": "hello"}]},
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "workspace not found\n"
    assert fake.server.requests_to("/chat/completions") == []
