"""Provider adapters: one per wire protocol, over provider-neutral values.

What services and the gateway use: `AdapterRegistry.get(type)` for an `Adapter`, `Upstream` to
send through the process's session, `check_credential` / `discover_models` / `check_model`, the
`Secret` variants, and the `ProviderError` family.
"""

from aiport.adapters.base import (
    Adapter,
    ApiKey,
    AwsKeys,
    CheckResult,
    DiscoveredModel,
    MalformedSecret,
    NoSecret,
    Secret,
    UpstreamRequest,
    UpstreamTarget,
    secret_from,
)
from aiport.adapters.check import check_credential, discover_models
from aiport.adapters.errors import (
    CheckStatus,
    CredentialForbidden,
    CredentialRejected,
    OutboundBlocked,
    ProviderError,
    UnknownProviderType,
    UpstreamBadResponse,
    UpstreamRateLimited,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from aiport.adapters.http import Upstream, UpstreamResponse
from aiport.adapters.model_check import ModelCheck, ModelCheckFailed, check_model
from aiport.adapters.outbound import OutboundPolicy, make_client_session
from aiport.adapters.registry import PROVIDER_TYPES, AdapterRegistry, default_base_url

__all__ = [
    "PROVIDER_TYPES",
    "Adapter",
    "AdapterRegistry",
    "ApiKey",
    "AwsKeys",
    "CheckResult",
    "CheckStatus",
    "CredentialForbidden",
    "CredentialRejected",
    "DiscoveredModel",
    "MalformedSecret",
    "ModelCheck",
    "ModelCheckFailed",
    "NoSecret",
    "OutboundBlocked",
    "OutboundPolicy",
    "ProviderError",
    "Secret",
    "UnknownProviderType",
    "Upstream",
    "UpstreamBadResponse",
    "UpstreamRateLimited",
    "UpstreamRequest",
    "UpstreamResponse",
    "UpstreamTarget",
    "UpstreamTimeout",
    "UpstreamUnreachable",
    "check_credential",
    "check_model",
    "default_base_url",
    "discover_models",
    "make_client_session",
    "secret_from",
]
