"""The adapter protocol and the provider-neutral values it works on.

Services and the gateway speak only these types; each vendor module translates them to and
from its wire format, so no vendor shape leaks past `aiport.adapters`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from yarl import URL

from aiport.adapters.errors import CheckStatus, CredentialRejected, UpstreamUnreachable

if TYPE_CHECKING:
    from aiport.adapters.http import Upstream, UpstreamResponse


@dataclass(frozen=True)
class UpstreamTarget:
    """Where and what to call: a provider's type, base URL and non-secret settings."""

    type: str
    base_url: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    def section(self, name: str | None = None) -> Mapping[str, Any]:
        """The settings nested under `name` (default: the type), as the providers domain stores
        per-type settings (`{"bedrock": {"region": …}}`); empty when there are none."""
        nested = self.settings.get(name or self.type)
        return nested if isinstance(nested, Mapping) else {}

    def lookup(self, name: str, section: str | None = None) -> Any:
        """A setting from the type's section, else from the top level."""
        nested = self.section(section)
        return nested[name] if name in nested else self.settings.get(name)

    def setting(self, name: str, default: str = "", section: str | None = None) -> str:
        """A non-empty string setting (see `lookup`), else `default`."""
        value = self.lookup(name, section)
        return value.strip() if isinstance(value, str) and value.strip() else default


@dataclass(frozen=True)
class ApiKey:
    """One key string (`kind="api_key"`): an API key, or for Copilot a GitHub token."""

    value: str

    def __repr__(self) -> str:
        return "ApiKey(<redacted>)"

    def values(self) -> tuple[str, ...]:
        return (self.value,)


@dataclass(frozen=True)
class AwsKeys:
    """An AWS key pair (`kind="aws"`), optionally with a session token."""

    access_key: str
    secret_key: str
    session_token: str = ""

    def __repr__(self) -> str:
        return "AwsKeys(<redacted>)"

    def values(self) -> tuple[str, ...]:
        return tuple(v for v in (self.access_key, self.secret_key, self.session_token) if v)


@dataclass(frozen=True)
class NoSecret:
    """A provider that needs no key (a local Ollama)."""

    def values(self) -> tuple[str, ...]:
        return ()


Secret = ApiKey | AwsKeys | NoSecret


class MalformedSecret(ValueError):
    """A stored secret that does not have the shape its kind promises."""


def secret_from(kind: str, plaintext: str) -> Secret:
    """Turn a decrypted credential into a `Secret`; raises `MalformedSecret` on a bad AWS pair."""
    if kind != "aws":
        return ApiKey(plaintext)
    try:
        parsed = orjson.loads(plaintext)
    except orjson.JSONDecodeError:
        raise MalformedSecret("the stored AWS secret is not a JSON key pair") from None
    if not isinstance(parsed, dict):
        raise MalformedSecret("the stored AWS secret is not a JSON key pair")
    access_key, secret_key = parsed.get("access_key"), parsed.get("access_key_secret")
    if not isinstance(access_key, str) or not isinstance(secret_key, str):
        raise MalformedSecret("the stored AWS secret lacks access_key or access_key_secret")
    token = parsed.get("session_token")
    return AwsKeys(access_key, secret_key, token if isinstance(token, str) else "")


@dataclass(frozen=True)
class DiscoveredModel:
    """One model a provider offers, as far as its listing tells."""

    id: str
    display_name: str | None = None
    context_window: int | None = None
    owned_by: str | None = None


@dataclass(frozen=True)
class UpstreamRequest:
    """One outbound HTTP request before or after authentication was applied."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


class Adapter(Protocol):
    """What aiport knows about one provider type's wire protocol.

    The registry holds one adapter object per provider type. Every method is given the target and secret explicitly, so one adapter object serves every
    provider of its types; only caches of short-lived upstream tokens (Copilot, assumed AWS
    roles) live inside it. Failures are raised as `ProviderError` subclasses with scrubbed text.
    """

    # "openai", "anthropic", "google" or "bedrock": the request format the gateway translates to.
    wire: str
    # False for Ollama, which is usually called without any key.
    requires_secret: bool

    def default_base_url(self, settings: Mapping[str, Any]) -> str:
        """The base URL a new provider of this type gets when none is given ("" if none fits)."""
        ...

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        """`request` with this protocol's authentication applied (header, signature, token)."""
        ...

    async def check(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        """Prove the secret works with one cheap authenticated call; returns the models it sees."""
        ...

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        """The provider's models, as the upstream lists them for this secret."""
        ...


# A listing that pages on past this is not a model listing.
MAX_PAGES = 20


class BaseAdapter(ABC):
    """What the vendor modules share: a fixed default base URL, and a check that lists the
    models, since listing needs a valid key on every vendor but those that override `check`."""

    wire: str
    requires_secret = True
    default_url = ""

    def default_base_url(self, settings: Mapping[str, Any]) -> str:  # noqa: ARG002
        return self.default_url

    @abstractmethod
    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest: ...

    @abstractmethod
    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]: ...

    async def check(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        return await self.list_models(upstream, target, secret)

    async def fetch(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, url: str
    ) -> UpstreamResponse:
        """One authorized GET, its answer read whatever its status."""
        request = await self.authorize(upstream, target, secret, UpstreamRequest("GET", url))
        return await upstream.send(request)

    async def pages(
        self,
        upstream: Upstream,
        target: UpstreamTarget,
        secret: Secret,
        url: str,
        query: Mapping[str, str],
        cursor: tuple[str, Callable[[dict[str, Any]], str | None]],
        raise_for: Callable[[UpstreamResponse, Sequence[str]], None],
    ) -> AsyncIterator[tuple[UpstreamResponse, dict[str, Any]]]:
        """Each page of a listing paged by cursor, as its answer and its body. `cursor` is the
        query parameter that asks for the next page and how a body names that page (None: last)."""
        base = URL(url, encoded=True)
        parameter, next_page = cursor
        after: str | None = None
        for _ in range(MAX_PAGES):
            page = {**query, **({parameter: after} if after else {})}
            response = await self.fetch(upstream, target, secret, str(base.update_query(page)))
            raise_for(response, secret.values())
            body = response.json_object()
            yield response, body
            after = next_page(body)
            if after is None:
                break


def with_headers(request: UpstreamRequest, headers: Mapping[str, str]) -> UpstreamRequest:
    return UpstreamRequest(
        request.method, request.url, {**request.headers, **headers}, request.body
    )


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def discovered(
    entries: list[dict[str, Any]], id_field: str, name_field: str, owner_field: str
) -> list[DiscoveredModel]:
    """Listed entries as models, by the fields that hold their id, name and owner."""
    return [
        DiscoveredModel(
            id=entry[id_field],
            display_name=text_or_none(entry.get(name_field)),
            owned_by=text_or_none(entry.get(owner_field)),
        )
        for entry in entries
    ]


def join_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def require_base_url(target: UpstreamTarget) -> str:
    if not target.base_url.strip():
        raise UpstreamUnreachable(f"no base URL is set for this {target.type} provider")
    return target.base_url.strip()


def api_key_of(target: UpstreamTarget, secret: Secret) -> str | None:
    """The key string of an API-key secret; `None` when the provider is called without one."""
    if isinstance(secret, AwsKeys):
        raise CredentialRejected(f"{target.type} providers take an API key, not an AWS key pair")
    if isinstance(secret, ApiKey):
        return secret.value
    return None


def required_api_key(target: UpstreamTarget, secret: Secret) -> str:
    """The key string of an API-key secret, refused when there is none."""
    key = api_key_of(target, secret)
    if key is None:
        article = "an" if target.type[:1] in "aeiou" else "a"
        raise CredentialRejected(f"{article} {target.type} provider needs an API key")
    return key


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one secret: a status, a message to show, and what it unlocked."""

    status: CheckStatus
    message: str
    models: tuple[DiscoveredModel, ...] | None = None
