"""GitHub Copilot: the stored GitHub token is exchanged for a short-lived Copilot token, which
is cached per GitHub token and renewed before it expires (or when the API stops taking it).

Settings: `token_url` (the exchange endpoint, GitHub's by default). Chat is OpenAI wire.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiport.adapters.base import (
    BaseAdapter,
    DiscoveredModel,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    api_key_of,
    join_url,
    require_base_url,
    with_headers,
)
from aiport.adapters.errors import CredentialForbidden, CredentialRejected
from aiport.adapters.http import Upstream, generic_detail, raise_for_status, scrub
from aiport.adapters.openai import parse_model_list

DEFAULT_URL = "https://api.githubcopilot.com"
TOKEN_URL = "https://api.github.com/copilot_internal/v2/token"
EDITOR_VERSION = "aiport/0.1.0"
INTEGRATION_ID = "vscode-chat"
# A Copilot token is renewed this long before its expiry.
REFRESH_MARGIN_SECONDS = 120.0


@dataclass(frozen=True)
class CopilotToken:
    value: str
    renew_at: float


class CopilotAdapter(BaseAdapter):
    wire = "openai"
    default_url = DEFAULT_URL

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self._tokens: dict[str, CopilotToken] = {}

    @staticmethod
    def _cache_key(github_token: str, token_url: str) -> str:
        return hashlib.sha256(f"{token_url}\0{github_token}".encode()).hexdigest()

    def forget(self, target: UpstreamTarget, secret: Secret) -> None:
        """Drop the cached Copilot token, e.g. after the API refused it."""
        github_token = api_key_of(target, secret) or ""
        self._tokens.pop(
            self._cache_key(github_token, target.setting("token_url", TOKEN_URL)), None
        )

    async def copilot_token(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> str:
        """The cached Copilot token for this GitHub token, exchanging a new one when due."""
        github_token = api_key_of(target, secret)
        if not github_token:
            raise CredentialRejected("a copilot provider needs a GitHub token")
        token_url = target.setting("token_url", TOKEN_URL)
        cache_key = self._cache_key(github_token, token_url)
        cached = self._tokens.get(cache_key)
        now = self._clock()
        if cached is not None and cached.renew_at > now:
            return cached.value
        request = UpstreamRequest(
            "GET",
            token_url,
            {
                "Authorization": f"token {github_token}",
                "Accept": "application/json",
                "Editor-Version": EDITOR_VERSION,
            },
        )
        response = await upstream.send(request)
        if response.status in (403, 404):
            detail = scrub(generic_detail(response.body), (github_token,))
            raise CredentialForbidden(
                f"{response.host} accepted the GitHub token but gives it no Copilot access: "
                f"{response.status} {detail}".rstrip(),
                host=response.host,
                upstream_status=response.status,
            )
        raise_for_status(response, (github_token,))
        body = response.json_object()
        token, expires_at = body.get("token"), body.get("expires_at")
        if not isinstance(token, str) or not token or not isinstance(expires_at, int | float):
            raise response.unexpected('no "token" and "expires_at" in the token exchange')
        renew_at = expires_at - REFRESH_MARGIN_SECONDS
        refresh_in = body.get("refresh_in")
        if isinstance(refresh_in, int | float) and refresh_in > 0:
            renew_at = min(renew_at, now + refresh_in)
        self._tokens[cache_key] = CopilotToken(token, renew_at)
        return token

    async def authorize(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret, request: UpstreamRequest
    ) -> UpstreamRequest:
        token = await self.copilot_token(upstream, target, secret)
        headers = {
            "Authorization": f"Bearer {token}",
            "Copilot-Integration-Id": INTEGRATION_ID,
            "Editor-Version": EDITOR_VERSION,
        }
        return with_headers(request, headers)

    async def list_models(
        self, upstream: Upstream, target: UpstreamTarget, secret: Secret
    ) -> Sequence[DiscoveredModel]:
        url = join_url(require_base_url(target), "/models")
        response = await self.fetch(upstream, target, secret, url)
        if response.status == 401:
            # The cached token was revoked or expired early: exchange once more and retry once.
            self.forget(target, secret)
            response = await self.fetch(upstream, target, secret, url)
        raise_for_status(response, secret.values())
        return parse_model_list(response)
