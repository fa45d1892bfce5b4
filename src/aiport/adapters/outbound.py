"""The outbound guard and the process's one pooled HTTP client session.

Every upstream URL is checked on every hop (the first request and each redirect) by a client
middleware, and every address a host name resolves to is checked by the resolver, so neither a
literal address, a DNS answer nor a redirect reaches cloud metadata or link-local addresses.
Loopback and private ranges are refused too when the policy says so (multi-tenant hosting).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.client_middlewares import ClientHandlerType, ClientMiddlewareType
from yarl import URL

from aiport.adapters.errors import OutboundBlocked

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never called, whatever the settings: link-local (where every cloud keeps its metadata service),
# the metadata services' own addresses, and addresses that are not a single host.
ALWAYS_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.0.0/16",
        "fe80::/10",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
        "0.0.0.0/8",
        "::/128",
        "224.0.0.0/4",
        "ff00::/8",
        "255.255.255.255/32",
    )
)
ALWAYS_BLOCKED_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOWED_SCHEMES = frozenset({"http", "https"})


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address hidden in an IPv4-mapped or NAT64 IPv6 address, else the address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


@dataclass(frozen=True)
class OutboundPolicy:
    """Which upstream addresses aiport may connect to."""

    allow_private: bool = True

    def check_address(self, host: str, *, via: str = "") -> None:
        try:
            parsed = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            raise OutboundBlocked(f"{host} is not an IP address", host=via or host) from None
        address = _embedded_ipv4(parsed)
        shown = f"{via} ({host})" if via and via != host else host
        if any(address in network for network in ALWAYS_BLOCKED_NETWORKS):
            raise OutboundBlocked(
                f"aiport never connects to {shown}: link-local and cloud metadata "
                "addresses are always refused",
                host=via or host,
            )
        if not self.allow_private and not address.is_global:
            raise OutboundBlocked(
                f"aiport refuses to connect to {shown}: loopback and private addresses are "
                "not allowed here (AIPORT_ALLOW_PRIVATE_UPSTREAMS=false)",
                host=via or host,
            )

    def check_url(self, url: URL | str) -> None:
        """Refuse a URL by scheme, by name, or by literal address; names are checked again
        after resolution by `GuardedResolver`."""
        parsed = url if isinstance(url, URL) else URL(url)
        if parsed.scheme not in ALLOWED_SCHEMES:
            raise OutboundBlocked(
                f"only http and https upstream URLs are allowed, not {parsed.scheme or 'none'!r}"
            )
        host = (parsed.host or "").rstrip(".").lower()
        if not host:
            raise OutboundBlocked("the upstream URL has no host")
        if host in ALWAYS_BLOCKED_HOSTS:
            raise OutboundBlocked(
                f"aiport never connects to {host}: cloud metadata services are always refused",
                host=host,
            )
        if not self.allow_private and (host == "localhost" or host.endswith(".localhost")):
            raise OutboundBlocked(
                f"aiport refuses to connect to {host}: loopback addresses are not allowed here "
                "(AIPORT_ALLOW_PRIVATE_UPSTREAMS=false)",
                host=host,
            )
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return
        self.check_address(host)


class GuardedResolver(AbstractResolver):
    """Resolves with `inner`, then refuses the name if any answer is a forbidden address.

    Refusing (rather than dropping bad answers) keeps a rebinding name from sneaking through on
    a later lookup; the connector connects only to addresses this returned.
    """

    def __init__(self, inner: AbstractResolver, policy: OutboundPolicy):
        self._inner = inner
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            self._policy.check_address(result["host"], via=host)
        return results

    async def close(self) -> None:
        await self._inner.close()


def guard_middleware(policy: OutboundPolicy) -> ClientMiddlewareType:
    """A client middleware: aiohttp runs it for the first request and for every redirect."""

    async def guard(
        request: aiohttp.ClientRequest, handler: ClientHandlerType
    ) -> aiohttp.ClientResponse:
        policy.check_url(request.url)
        return await handler(request)

    return guard


def make_client_session(
    policy: OutboundPolicy,
    *,
    connect_timeout: float,
    read_timeout: float,
    resolver: AbstractResolver | None = None,
) -> aiohttp.ClientSession:
    """The pooled session every upstream call shares (checks, discovery and the gateway).

    Made in the lifespan, closed on shutdown. No cookie jar (upstream cookies must not cross
    tenants) and no proxy settings from the environment.
    """
    connector = aiohttp.TCPConnector(
        limit=512,
        ttl_dns_cache=30,
        resolver=GuardedResolver(resolver or aiohttp.ThreadedResolver(), policy),
    )
    return aiohttp.ClientSession(
        connector=connector,
        middlewares=(guard_middleware(policy),),
        timeout=aiohttp.ClientTimeout(
            total=None, sock_connect=connect_timeout, sock_read=read_timeout
        ),
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        headers={"User-Agent": "aiport/0.1"},
    )
