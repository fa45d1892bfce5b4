"""Copilot: the GitHub token is exchanged for a short-lived token, cached, and renewed."""

from __future__ import annotations

import time

from aiport.adapters import ApiKey, CheckStatus, UpstreamTarget, check_credential
from aiport.adapters.copilot import CopilotAdapter
from aiport.adapters.http import Upstream
from tests.fakes.copilot import FakeCopilot

GITHUB_TOKEN = "ghu_fakeGitHubToken0000000001"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _target(fake: FakeCopilot) -> UpstreamTarget:
    return UpstreamTarget("copilot", fake.url, {"token_url": fake.token_url})


async def test_the_github_token_is_exchanged_and_the_copilot_token_used(upstream: Upstream) -> None:
    async with FakeCopilot(github_tokens={GITHUB_TOKEN}) as fake:
        result = await check_credential(
            CopilotAdapter(), upstream, _target(fake), ApiKey(GITHUB_TOKEN), within=3
        )
        exchange, listing = fake.requests
    assert result.status is CheckStatus.OK
    assert exchange.headers["authorization"] == f"token {GITHUB_TOKEN}"
    assert listing.headers["authorization"].startswith("Bearer tid=")
    assert listing.headers["copilot-integration-id"] == "vscode-chat"
    assert GITHUB_TOKEN not in listing.headers.values()


async def test_the_copilot_token_is_reused_until_it_is_due(upstream: Upstream) -> None:
    clock = Clock(time.time())
    adapter = CopilotAdapter(clock)
    async with FakeCopilot(github_tokens={GITHUB_TOKEN}, token_lifetime=1800) as fake:
        for _ in range(3):
            await adapter.list_models(upstream, _target(fake), ApiKey(GITHUB_TOKEN))
        assert fake.exchanges == 1
        # refresh_in is 1500 s: past it the token is renewed before it expires.
        clock.now += 1501
        await adapter.list_models(upstream, _target(fake), ApiKey(GITHUB_TOKEN))
        assert fake.exchanges == 2
        tokens = [r.headers["authorization"] for r in fake.requests_to("/models")]
    assert tokens[0] == tokens[2] != tokens[3]


async def test_a_revoked_copilot_token_is_exchanged_again_once(upstream: Upstream) -> None:
    adapter = CopilotAdapter()
    async with FakeCopilot(github_tokens={GITHUB_TOKEN}) as fake:
        await adapter.list_models(upstream, _target(fake), ApiKey(GITHUB_TOKEN))
        fake.revoke_all()
        models = await adapter.list_models(upstream, _target(fake), ApiKey(GITHUB_TOKEN))
        assert fake.exchanges == 2
    assert [m.id for m in models] == ["gpt-4o", "claude-3.5-sonnet"]


async def test_a_github_account_without_copilot_is_forbidden(upstream: Upstream) -> None:
    async with FakeCopilot(github_tokens=set(), no_copilot_tokens={GITHUB_TOKEN}) as fake:
        result = await check_credential(
            CopilotAdapter(), upstream, _target(fake), ApiKey(GITHUB_TOKEN), within=3
        )
    assert result.status is CheckStatus.FORBIDDEN
    assert result.message == (
        f"127.0.0.1:{fake.port} accepted the GitHub token but gives it no Copilot access: 404 Not Found"
    )


async def test_a_bad_github_token_is_refused(upstream: Upstream) -> None:
    async with FakeCopilot(github_tokens={GITHUB_TOKEN}) as fake:
        result = await check_credential(
            CopilotAdapter(), upstream, _target(fake), ApiKey("ghu_wrong0000"), within=3
        )
    assert result.status is CheckStatus.INVALID
    assert result.message == f"the key was refused by 127.0.0.1:{fake.port}: 401 Bad credentials"
