"""OpenAI, OpenRouter, Vercel, Mistral, compatible servers and Ollama: what is special to each."""

from __future__ import annotations

import pytest

from aiport.adapters import (
    AdapterRegistry,
    ApiKey,
    AwsKeys,
    CheckStatus,
    NoSecret,
    UnknownProviderType,
    UpstreamTarget,
    check_credential,
    default_base_url,
)
from aiport.adapters.http import Upstream
from aiport.adapters.ollama import openai_base_url
from tests.fakes.fixtures import StartFake
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI


@pytest.mark.parametrize(
    ("provider_type", "url"),
    [
        ("openai", "https://api.openai.com/v1"),
        ("anthropic", "https://api.anthropic.com"),
        ("google", "https://generativelanguage.googleapis.com"),
        ("mistral", "https://api.mistral.ai/v1"),
        ("openrouter", "https://openrouter.ai/api/v1"),
        ("vercel", "https://ai-gateway.vercel.sh/v1"),
        ("ollama", "http://127.0.0.1:11434"),
        ("copilot", "https://api.githubcopilot.com"),
        ("bedrock", "https://bedrock-runtime.us-east-1.amazonaws.com"),
        ("azure", ""),
        ("openai-compat", ""),
    ],
)
def test_each_type_has_its_default_base_url(provider_type: str, url: str) -> None:
    assert default_base_url(provider_type) == url


async def test_the_key_is_sent_as_a_bearer_token(
    fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider("openai")
    await check_credential(
        AdapterRegistry().get("openai"), upstream, fake.target, fake.good, within=3
    )
    assert fake.server.requests[0].headers["authorization"] == f"Bearer {fake.good_plaintext}"
    assert fake.server.requests[0].path == "/v1/models"


@pytest.mark.parametrize(
    ("provider_type", "path"), [("openrouter", "/api/v1/key"), ("vercel", "/v1/credits")]
)
async def test_a_key_is_proven_where_the_model_list_is_public(
    provider_type: str, path: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.bad, within=3)
    assert result.status is CheckStatus.INVALID
    assert [r.path for r in fake.server.requests] == [path]


async def test_a_forbidden_key_is_forbidden(upstream: Upstream) -> None:
    async with FakeOpenAI(keys={"sk-a"}, forbidden_keys={"sk-limited-0000"}) as fake:
        target = UpstreamTarget("openai", fake.base_url)
        result = await check_credential(
            AdapterRegistry().get("openai"), upstream, target, ApiKey("sk-limited-0000"), within=3
        )
    assert result.status is CheckStatus.FORBIDDEN
    assert result.message == (
        f"127.0.0.1:{fake.port} accepted the key but refused access: "
        "403 insufficient_permissions: This key may not use this resource"
    )


async def test_a_key_echoed_by_the_upstream_is_scrubbed(upstream: Upstream) -> None:
    async with FakeOpenAI(keys={"sk-a"}) as fake:
        target = UpstreamTarget("openai", fake.base_url)
        result = await check_credential(
            AdapterRegistry().get("openai"), upstream, target, ApiKey("sk-wrong-123456"), within=3
        )
    assert result.message == (
        f"the key was refused by 127.0.0.1:{fake.port}: "
        "401 invalid_api_key: Incorrect API key provided: <redacted>"
    )


async def test_a_wrong_base_url_says_to_check_it(upstream: Upstream) -> None:
    async with FakeOpenAI(keys={"sk-a"}) as fake:
        target = UpstreamTarget("openai", fake.url + "/wrong")
        result = await check_credential(
            AdapterRegistry().get("openai"), upstream, target, ApiKey("sk-a"), within=3
        )
    assert result.status is CheckStatus.BAD_RESPONSE
    assert result.message.startswith(f"127.0.0.1:{fake.port} has nothing at /wrong/models")
    assert result.message.endswith("check the base URL")


async def test_a_missing_base_url_is_unreachable(upstream: Upstream) -> None:
    target = UpstreamTarget("openai-compat", "")
    result = await check_credential(
        AdapterRegistry().get("openai-compat"), upstream, target, ApiKey("sk-a"), within=3
    )
    assert result.status is CheckStatus.UNREACHABLE
    assert result.message == "no base URL is set for this openai-compat provider"


async def test_an_aws_key_pair_is_refused_by_an_api_key_provider(upstream: Upstream) -> None:
    result = await check_credential(
        AdapterRegistry().get("openai"),
        upstream,
        UpstreamTarget("openai", "http://127.0.0.1:9/v1"),
        AwsKeys("AKIAEXAMPLE", "wJalrXUtnFEMI"),
        within=3,
    )
    assert result.status is CheckStatus.INVALID
    assert result.message == "openai providers take an API key, not an AWS key pair"


async def test_a_compatible_server_without_auth_needs_no_key(upstream: Upstream) -> None:
    async with FakeOpenAI(keys=None) as fake:
        target = UpstreamTarget("openai-compat", fake.base_url)
        result = await check_credential(
            AdapterRegistry().get("openai-compat"), upstream, target, NoSecret(), within=3
        )
        assert "authorization" not in fake.requests[0].headers
    assert result.status is CheckStatus.OK
    assert result.message == f"127.0.0.1:{fake.port} answered: 3 models available"


async def test_mistral_and_openrouter_context_windows_are_read(
    fake_provider: StartFake, upstream: Upstream
) -> None:
    mistral, openrouter = await fake_provider("mistral"), await fake_provider("openrouter")
    registry = AdapterRegistry()
    found_mistral = await registry.get("mistral").list_models(
        upstream, mistral.target, mistral.good
    )
    found_openrouter = await registry.get("openrouter").list_models(
        upstream, openrouter.target, openrouter.good
    )
    assert found_mistral[0].context_window == 131072
    assert found_mistral[0].display_name == "mistral-large-2411"
    assert found_openrouter[1].context_window == 200000


async def test_a_local_ollama_needs_no_key(upstream: Upstream) -> None:
    async with FakeOllama() as fake:
        target = UpstreamTarget("ollama", fake.url)
        result = await check_credential(
            AdapterRegistry().get("ollama"), upstream, target, NoSecret(), within=3
        )
        assert fake.requests[0].path == "/api/tags"
        assert "authorization" not in fake.requests[0].headers
    assert result.status is CheckStatus.OK
    assert result.models is not None
    assert [(m.id, m.owned_by) for m in result.models] == [
        ("llama3.2:latest", "llama"),
        ("qwen2.5-coder:7b", "qwen2"),
    ]


async def test_an_ollama_base_url_ending_in_v1_still_finds_its_tags(upstream: Upstream) -> None:
    async with FakeOllama() as fake:
        target = UpstreamTarget("ollama", fake.url + "/v1/")
        models = await AdapterRegistry().get("ollama").list_models(upstream, target, NoSecret())
    assert len(models) == 2
    assert openai_base_url(target) == fake.url + "/v1"


async def test_a_long_model_list_is_read_to_its_end(upstream: Upstream) -> None:
    models = [
        {"id": f"model-{i:05d}", "object": "model", "owned_by": "x" * 100} for i in range(5000)
    ]
    async with FakeOpenAI(keys={"sk-a"}, models=models) as fake:
        target = UpstreamTarget("openai", fake.base_url)
        found = await AdapterRegistry().get("openai").list_models(upstream, target, ApiKey("sk-a"))
    assert len(found) == 5000
    assert found[-1].id == "model-04999"


def test_an_unknown_type_is_a_clear_error() -> None:
    with pytest.raises(UnknownProviderType) as raised:
        AdapterRegistry().get("watsonx")
    assert raised.value.message == "no adapter for provider type 'watsonx'"
    assert raised.value.status == 400


async def test_an_openai_organization_setting_is_sent(upstream: Upstream) -> None:
    async with FakeOpenAI(keys={"sk-a"}) as fake:
        target = UpstreamTarget("openai", fake.base_url, {"organization": "org-team"})
        await AdapterRegistry().get("openai").list_models(upstream, target, ApiKey("sk-a"))
        assert fake.requests[0].headers["openai-organization"] == "org-team"
