"""Every provider type against its fake: the six outcomes of a check, and model discovery."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from aiport.adapters import (
    PROVIDER_TYPES,
    AdapterRegistry,
    CheckStatus,
    UpstreamTarget,
    check_credential,
    discover_models,
)
from aiport.adapters.http import Upstream
from tests.fakes.catalog import FakeProvider
from tests.fakes.fixtures import StartFake
from tests.fakes.server import Scenario

pytestmark = pytest.mark.parametrize("provider_type", PROVIDER_TYPES)

CHECK_WITHIN = 3.0


def _moved(fake: FakeProvider, port: int) -> UpstreamTarget:
    """The fake's target with every URL pointing at `port` instead."""
    old, new = fake.server.url, f"http://127.0.0.1:{port}"
    settings = {
        k: v.replace(old, new) if isinstance(v, str) else v for k, v in fake.target.settings.items()
    }
    return replace(fake.target, base_url=fake.target.base_url.replace(old, new), settings=settings)


async def test_a_valid_key_is_ok(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.good, within=CHECK_WITHIN)
    assert result.status is CheckStatus.OK, result.message
    assert "127.0.0.1" in result.message
    assert result.models is not None
    assert [m.id for m in result.models] == fake.model_ids


async def test_a_refused_key_is_invalid(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.bad, within=CHECK_WITHIN)
    assert result.status is CheckStatus.INVALID, result.message
    assert result.message.startswith(f"the key was refused by 127.0.0.1:{fake.server.port}")
    for value in fake.bad.values():
        assert value not in result.message


async def test_rate_limiting_is_reported_with_its_retry_after(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    fake.server.scenario = Scenario.RATE_LIMITED
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.good, within=CHECK_WITHIN)
    assert result.status is CheckStatus.RATE_LIMITED, result.message
    assert "is rate limiting this key: 429" in result.message
    assert result.message.endswith("retry after 7 s")


async def test_an_unreachable_host_is_unreachable(
    provider_type: str, fake_provider: StartFake, upstream: Upstream, closed_port: int
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    target = _moved(fake, closed_port)
    result = await check_credential(adapter, upstream, target, fake.good, within=CHECK_WITHIN)
    assert result.status is CheckStatus.UNREACHABLE, result.message
    assert result.message.startswith(f"cannot reach 127.0.0.1:{closed_port}: ")
    assert "refused" in result.message


async def test_a_slow_upstream_times_out(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    fake.server.answer_delay = 5.0
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.good, within=0.3)
    assert result.status is CheckStatus.TIMEOUT, result.message
    assert result.message == f"127.0.0.1:{fake.server.port} did not answer within 0.3 s"


async def test_a_malformed_answer_is_a_bad_response(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    fake.server.scenario = Scenario.MALFORMED
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.good, within=CHECK_WITHIN)
    assert result.status is CheckStatus.BAD_RESPONSE, result.message
    assert f"127.0.0.1:{fake.server.port} answered 200" in result.message


async def test_a_server_error_is_a_bad_response(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    fake.server.scenario = Scenario.SERVER_ERROR
    adapter = AdapterRegistry().get(provider_type)
    result = await check_credential(adapter, upstream, fake.target, fake.good, within=CHECK_WITHIN)
    assert result.status is CheckStatus.BAD_RESPONSE, result.message
    assert "answered 500" in result.message


async def test_model_discovery_returns_the_fakes_models(
    provider_type: str, fake_provider: StartFake, upstream: Upstream
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    models = await discover_models(adapter, upstream, fake.target, fake.good, within=CHECK_WITHIN)
    assert [m.id for m in models] == fake.model_ids


async def test_no_key_appears_in_logs_or_messages(
    provider_type: str,
    fake_provider: StartFake,
    upstream: Upstream,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = await fake_provider(provider_type)
    adapter = AdapterRegistry().get(provider_type)
    caplog.set_level(logging.DEBUG)
    messages = [
        (
            await check_credential(adapter, upstream, fake.target, secret, within=CHECK_WITHIN)
        ).message
        for secret in (fake.good, fake.bad)
    ]
    fake.server.scenario = Scenario.SERVER_ERROR
    messages.append(
        (
            await check_credential(adapter, upstream, fake.target, fake.bad, within=CHECK_WITHIN)
        ).message
    )
    assert caplog.records, "the check should have logged something to inspect"
    everything = caplog.text + "\n".join(messages)
    for value in (*fake.good.values(), *fake.bad.values()):
        assert value not in everything
