"""Azure OpenAI: `api-key`, `api-version` on every call, deployments as models."""

from __future__ import annotations

from aiport.adapters import (
    AdapterRegistry,
    ApiKey,
    CheckStatus,
    UpstreamRequest,
    UpstreamTarget,
    check_credential,
)
from aiport.adapters.azure import DEFAULT_API_VERSION, deployment_url
from aiport.adapters.http import Upstream
from tests.fakes.azure import FakeAzure


async def test_the_key_goes_in_api_key_with_the_configured_api_version(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget("azure", fake.url, {"api_version": "2024-06-01"})
        result = await check_credential(
            AdapterRegistry().get("azure"), upstream, target, ApiKey("azure-key-1"), within=3
        )
        request = fake.requests[0]
    assert result.status is CheckStatus.OK
    assert request.path == "/openai/deployments"
    assert request.query == {"api-version": "2024-06-01"}
    assert request.headers["api-key"] == "azure-key-1"
    assert "authorization" not in request.headers


async def test_without_a_setting_the_default_api_version_is_sent(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget("azure", fake.url)
        await check_credential(
            AdapterRegistry().get("azure"), upstream, target, ApiKey("azure-key-1"), within=3
        )
        assert fake.requests[0].query == {"api-version": DEFAULT_API_VERSION}


async def test_the_resources_deployments_are_its_models(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget("azure", fake.url)
        models = (
            await AdapterRegistry()
            .get("azure")
            .list_models(upstream, target, ApiKey("azure-key-1"))
        )
    assert [(m.id, m.display_name) for m in models] == [
        ("gpt4o-prod", "gpt-4o"),
        ("embed-small", "text-embedding-3-small"),
    ]


async def test_configured_deployments_are_listed_without_a_call(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget(
            "azure",
            fake.url,
            {"deployments": ["chat-eu", {"name": "embed-eu", "model": "text-embedding-3-large"}]},
        )
        models = (
            await AdapterRegistry()
            .get("azure")
            .list_models(upstream, target, ApiKey("azure-key-1"))
        )
        assert fake.requests == []
    assert [(m.id, m.display_name) for m in models] == [
        ("chat-eu", None),
        ("embed-eu", "text-embedding-3-large"),
    ]


async def test_an_unsupported_api_version_is_a_bad_response_naming_it(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget("azure", fake.url, {"api_version": "1999-01-01"})
        result = await check_credential(
            AdapterRegistry().get("azure"), upstream, target, ApiKey("azure-key-1"), within=3
        )
    assert result.status is CheckStatus.BAD_RESPONSE
    assert "API version 1999-01-01 is not supported" in result.message


async def test_a_chat_call_is_authorized_for_its_deployment(upstream: Upstream) -> None:
    async with FakeAzure(keys={"azure-key-1"}) as fake:
        target = UpstreamTarget("azure", fake.url, {"api_version": "2024-10-21"})
        url = deployment_url(target, "gpt4o-prod", "/chat/completions")
        body = b'{"messages": [{"role": "user", "content": "hi"}]}'
        request = (
            await AdapterRegistry()
            .get("azure")
            .authorize(
                upstream,
                target,
                ApiKey("azure-key-1"),
                UpstreamRequest("POST", url, {"Content-Type": "application/json"}, body),
            )
        )
        response = await upstream.send(request)
    assert (
        url == f"{fake.url}/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"
    )
    assert response.status == 200
    assert response.json_object()["choices"][0]["message"]["content"] == "fake reply to: hi"
