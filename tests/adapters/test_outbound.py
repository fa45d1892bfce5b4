"""The outbound guard: metadata and link-local addresses are never reached, by any route, and
private ones are refused when the policy says so.

Redirect tests point at a name first (refused before any lookup) and only then at a literal
address, so a broken guard fails loudly without sending anything off this machine.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from aiport.adapters import (
    OutboundBlocked,
    OutboundPolicy,
    Upstream,
    UpstreamRequest,
    UpstreamUnreachable,
    make_client_session,
)
from tests.fakes.openai import FakeOpenAI
from tests.fakes.server import FakeServer


class StaticResolver(AbstractResolver):
    """Answers from a fixed table, as a DNS server under an attacker's control might."""

    def __init__(self, table: dict[str, str]):
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        del family
        self.asked.append(host)
        address = self.table[host]
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        return None


class Redirector(FakeServer):
    """Answers every request with a redirect to `location`."""

    def __init__(self, location: str):
        super().__init__()
        self.location = location

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/{tail:.*}", self.redirect)

    async def redirect(self, request: web.Request) -> web.Response:
        del request
        raise web.HTTPFound(self.location)


def _upstream(session: aiohttp.ClientSession) -> Upstream:
    return Upstream(session, aiohttp.ClientTimeout(total=3, sock_connect=2))


@pytest.fixture
async def resolver() -> StaticResolver:
    return StaticResolver(
        {
            "metadata.attacker.test": "169.254.169.254",
            "v6-metadata.attacker.test": "fd00:ec2::254",
            "loopback.attacker.test": "127.0.0.1",
            "intranet.attacker.test": "10.1.2.3",
        }
    )


@pytest.fixture
async def open_session(resolver: StaticResolver) -> AsyncIterator[aiohttp.ClientSession]:
    """Private upstreams allowed (the default)."""
    http = make_client_session(
        OutboundPolicy(allow_private=True), connect_timeout=2, read_timeout=2, resolver=resolver
    )
    try:
        yield http
    finally:
        await http.close()


@pytest.fixture
async def strict_session(resolver: StaticResolver) -> AsyncIterator[aiohttp.ClientSession]:
    """AIPORT_ALLOW_PRIVATE_UPSTREAMS=false."""
    http = make_client_session(
        OutboundPolicy(allow_private=False), connect_timeout=2, read_timeout=2, resolver=resolver
    )
    try:
        yield http
    finally:
        await http.close()


async def _refused(session: aiohttp.ClientSession, url: str) -> OutboundBlocked:
    with pytest.raises(OutboundBlocked) as refused:
        await _upstream(session).send(UpstreamRequest("GET", url))
    return refused.value


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.170.2/v2/credentials",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://100.100.100.200/latest/meta-data/",
    ],
)
async def test_a_literal_metadata_or_link_local_address_is_refused(
    open_session: aiohttp.ClientSession, url: str
) -> None:
    refused = await _refused(open_session, url)
    assert "link-local and cloud metadata addresses are always refused" in refused.message


@pytest.mark.parametrize(
    "url",
    ["http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.GOOGLE.INTERNAL./"],
)
async def test_a_metadata_service_name_is_refused_before_any_lookup(
    open_session: aiohttp.ClientSession, resolver: StaticResolver, url: str
) -> None:
    refused = await _refused(open_session, url)
    assert "cloud metadata services are always refused" in refused.message
    assert resolver.asked == []


@pytest.mark.parametrize("name", ["metadata.attacker.test", "v6-metadata.attacker.test"])
async def test_a_name_that_resolves_to_a_metadata_address_is_refused(
    open_session: aiohttp.ClientSession, resolver: StaticResolver, name: str
) -> None:
    refused = await _refused(open_session, f"http://{name}/latest/meta-data/")
    assert resolver.asked == [name]
    assert refused.message.startswith(f"aiport never connects to {name} (")


async def test_a_redirect_to_a_metadata_name_is_refused(
    open_session: aiohttp.ClientSession, resolver: StaticResolver
) -> None:
    async with Redirector("http://metadata.google.internal/computeMetadata/v1/") as redirector:
        refused = await _refused(open_session, redirector.url + "/v1/models")
    assert "metadata.google.internal" in refused.message
    assert resolver.asked == []


async def test_a_redirect_to_the_metadata_address_is_refused(
    open_session: aiohttp.ClientSession,
) -> None:
    async with Redirector("http://169.254.169.254/latest/meta-data/iam/") as redirector:
        refused = await _refused(open_session, redirector.url + "/v1/models")
        assert len(redirector.requests) == 1
    assert "never connects to 169.254.169.254" in refused.message


async def test_a_redirect_to_a_name_resolving_to_the_metadata_address_is_refused(
    open_session: aiohttp.ClientSession, resolver: StaticResolver
) -> None:
    async with Redirector("http://metadata.attacker.test/latest/") as redirector:
        refused = await _refused(open_session, redirector.url + "/v1/models")
    assert resolver.asked == ["metadata.attacker.test"]
    assert "169.254.169.254" in refused.message


async def test_a_redirect_to_another_scheme_is_refused(open_session: aiohttp.ClientSession) -> None:
    async with Redirector("file:///etc/passwd") as redirector:
        refused = await _refused(open_session, redirector.url + "/v1/models")
    assert "not http or https" in refused.message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/models", "file:///etc/passwd", "gopher://x/"])
async def test_a_url_that_is_not_http_is_refused(
    open_session: aiohttp.ClientSession, url: str
) -> None:
    refused = await _refused(open_session, url)
    assert "only http and https upstream URLs are allowed" in refused.message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:11434/api/tags",
        "http://10.0.0.5/v1/models",
        "http://192.168.1.10/v1/models",
        "http://172.16.0.1/v1/models",
        "http://[::1]:8000/v1/models",
        "http://localhost:11434/api/tags",
    ],
)
async def test_private_and_loopback_addresses_are_refused_when_not_allowed(
    strict_session: aiohttp.ClientSession, url: str
) -> None:
    refused = await _refused(strict_session, url)
    assert "AIPORT_ALLOW_PRIVATE_UPSTREAMS=false" in refused.message


@pytest.mark.parametrize("name", ["loopback.attacker.test", "intranet.attacker.test"])
async def test_a_name_resolving_to_a_private_address_is_refused_when_not_allowed(
    strict_session: aiohttp.ClientSession, resolver: StaticResolver, name: str
) -> None:
    refused = await _refused(strict_session, f"http://{name}/v1/models")
    assert resolver.asked == [name]
    assert "AIPORT_ALLOW_PRIVATE_UPSTREAMS=false" in refused.message


async def test_private_addresses_are_allowed_by_default(
    open_session: aiohttp.ClientSession,
) -> None:
    async with FakeOpenAI(keys=None) as fake:
        response = await _upstream(open_session).send(
            UpstreamRequest("GET", fake.base_url + "/models")
        )
    assert response.status == 200


async def test_a_name_resolving_to_loopback_is_allowed_by_default(
    open_session: aiohttp.ClientSession,
) -> None:
    async with FakeOpenAI(keys=None) as fake:
        url = f"http://loopback.attacker.test:{fake.port}/v1/models"
        response = await _upstream(open_session).send(UpstreamRequest("GET", url))
        assert fake.requests[0].headers["host"] == f"loopback.attacker.test:{fake.port}"
    assert response.status == 200


async def test_a_hex_spelling_of_the_metadata_address_is_refused_after_resolution() -> None:
    """The system resolver turns it into 169.254.169.254; the guard sees its answer."""
    http = make_client_session(
        OutboundPolicy(allow_private=True), connect_timeout=2, read_timeout=2
    )
    try:
        refused = await _refused(http, "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/")
    finally:
        await http.close()
    assert refused.message.startswith(
        "aiport never connects to 0xa9.0xfe.0xa9.0xfe (169.254.169.254)"
    )


@pytest.mark.parametrize("host", ["2852039166", "169.254.43518"])
async def test_integer_spellings_of_an_address_are_not_valid_urls(host: str) -> None:
    http = make_client_session(
        OutboundPolicy(allow_private=True), connect_timeout=2, read_timeout=2
    )
    try:
        with pytest.raises(UpstreamUnreachable) as refused:
            await _upstream(http).send(UpstreamRequest("GET", f"http://{host}/latest/meta-data/"))
    finally:
        await http.close()
    assert refused.value.message == f"'http://{host}/latest/meta-data/' is not a valid upstream URL"
