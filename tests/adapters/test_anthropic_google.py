"""Anthropic's and Gemini's own headers, error shapes and paging."""

from __future__ import annotations

from aiport.adapters import AdapterRegistry, ApiKey, CheckStatus, UpstreamTarget, check_credential
from aiport.adapters.http import Upstream
from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.fixtures import StartFake
from tests.fakes.google import FakeGemini


async def test_anthropic_gets_its_headers_and_every_page(
    fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider("anthropic")
    models = await AdapterRegistry().get("anthropic").list_models(upstream, fake.target, fake.good)
    requests = fake.server.requests
    assert len(models) == 3
    assert [r.query.get("after_id") for r in requests] == [None, "claude-3-5-haiku-20241022"]
    assert requests[0].headers["x-api-key"] == fake.good_plaintext
    assert requests[0].headers["anthropic-version"] == "2023-06-01"
    assert models[0].display_name == "Claude Sonnet 4"


async def test_anthropic_names_the_error_type(upstream: Upstream) -> None:
    async with FakeAnthropic(keys={"sk-ant-a"}, forbidden_keys={"sk-ant-limited"}) as fake:
        target = UpstreamTarget("anthropic", fake.url)
        adapter = AdapterRegistry().get("anthropic")
        refused = await check_credential(
            adapter, upstream, target, ApiKey("sk-ant-wrong"), within=3
        )
        forbidden = await check_credential(
            adapter, upstream, target, ApiKey("sk-ant-limited"), within=3
        )
    assert refused.message == (
        f"the key was refused by 127.0.0.1:{fake.port}: 401 authentication_error: invalid x-api-key"
    )
    assert forbidden.status is CheckStatus.FORBIDDEN
    assert "permission_error" in forbidden.message


async def test_gemini_key_goes_in_a_header_never_the_url(
    fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider("google")
    await AdapterRegistry().get("google").list_models(upstream, fake.target, fake.good)
    for request in fake.server.requests:
        assert request.headers["x-goog-api-key"] == fake.good_plaintext
        assert "key" not in request.query
    assert [r.query.get("pageToken") for r in fake.server.requests] == [None, "2"]


async def test_gemini_api_key_invalid_400_is_a_refused_key(
    fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider("google")
    result = await check_credential(
        AdapterRegistry().get("google"), upstream, fake.target, fake.bad, within=3
    )
    assert result.status is CheckStatus.INVALID
    assert result.message == (
        f"the key was refused by 127.0.0.1:{fake.server.port}: 400 API_KEY_INVALID: "
        "API key not valid. Please pass a valid API key."
    )


async def test_gemini_blocked_key_is_forbidden(upstream: Upstream) -> None:
    async with FakeGemini(keys={"AIza-a"}, forbidden_keys={"AIza-blocked"}) as fake:
        target = UpstreamTarget("google", fake.url)
        result = await check_credential(
            AdapterRegistry().get("google"), upstream, target, ApiKey("AIza-blocked"), within=3
        )
    assert result.status is CheckStatus.FORBIDDEN
    assert "API_KEY_SERVICE_BLOCKED" in result.message
    assert result.models is None
