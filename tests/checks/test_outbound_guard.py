"""The app's own session carries the outbound guard: a provider cannot be aimed at metadata
services, nor at private addresses when `AIPORT_ALLOW_PRIVATE_UPSTREAMS=false`."""

from __future__ import annotations

import httpx
import pytest

from aiport.app import create_app
from aiport.config import Settings
from tests.checks.arrange import StoreProvider, store_fake
from tests.factories import Identities
from tests.fakes.fixtures import StartFake


@pytest.mark.parametrize(
    ("base_url", "refusal"),
    [
        # By name first: a broken guard would fail a DNS lookup here, not reach anything.
        (
            "http://metadata.google.internal/computeMetadata/v1",
            "aiport never connects to metadata.google.internal",
        ),
        ("http://169.254.169.254/latest/meta-data", "aiport never connects to 169.254.169.254"),
    ],
)
async def test_a_provider_aimed_at_a_metadata_service_is_refused(
    client: httpx.AsyncClient,
    ids: Identities,
    store_provider: StoreProvider,
    base_url: str,
    refusal: str,
) -> None:
    await store_provider(
        "sneaky", "openai-compat", base_url, secrets=[("api_key", "sk-sneaky-000000")]
    )
    response = await client.post(
        "/api/v1/workspaces/1/providers/sneaky/check", headers=ids.admin.headers
    )
    (credential,) = response.json()["credentials"]
    assert credential["status"] == "unreachable"
    assert credential["message"].startswith(refusal)


async def test_private_upstreams_are_refused_when_not_allowed(
    settings: Settings, ids: Identities, fake_provider: StartFake, store_provider: StoreProvider
) -> None:
    fake = await fake_provider("openai")
    await store_fake(store_provider, fake, "local")
    strict = create_app(settings.model_copy(update={"allow_private_upstreams": False}))
    async with strict.router.lifespan_context(strict):
        transport = httpx.ASGITransport(app=strict)
        async with httpx.AsyncClient(transport=transport, base_url="http://aiport.test") as http:
            response = await http.post(
                "/api/v1/workspaces/1/providers/local/check", headers=ids.admin.headers
            )
    (credential,) = response.json()["credentials"]
    assert credential["status"] == "unreachable"
    assert credential["message"] == (
        "aiport refuses to connect to 127.0.0.1: loopback and private addresses are not allowed "
        "here (AIPORT_ALLOW_PRIVATE_UPSTREAMS=false)"
    )
    assert fake.server.requests == []
