"""What aiport knows about Xagent's free-text `model_provider` values.

DESIGN.md §1: `claude` calls Anthropic, `gemini` calls Google, everything else is called as
OpenAI-compatible at the default base URL Xagent fills in. One refinement: the MiniMax and
Kimi coding plans' default URLs (`…/anthropic`, `…/coding`) are Anthropic-compatible
endpoints, so those providers are called with the Anthropic protocol, as Xagent does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownProvider:
    """One entry of Xagent's supported-provider list."""

    id: str
    name: str
    description: str
    default_base_url: str | None
    # aiport adapter type used to call it.
    adapter_type: str
    requires_base_url: bool = False
    # The protocol a custom endpoint must speak, for providers reached through a compatible API.
    compatibility: str | None = None


KNOWN_PROVIDERS: tuple[KnownProvider, ...] = (
    KnownProvider(
        "openai", "OpenAI", "GPT chat and embedding models", "https://api.openai.com/v1", "openai"
    ),
    KnownProvider("claude", "Anthropic Claude", "Claude models", None, "anthropic"),
    KnownProvider("gemini", "Google Gemini", "Gemini models", None, "google"),
    KnownProvider(
        "xinference",
        "Xinference",
        "Self-hosted models served by Xinference (an API key may be empty)",
        None,
        "openai-compat",
        requires_base_url=True,
        compatibility="openai",
    ),
    KnownProvider(
        "dashscope",
        "Alibaba DashScope",
        "Qwen models through DashScope's OpenAI-compatible mode",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "zhipu",
        "Zhipu AI",
        "GLM models",
        "https://open.bigmodel.cn/api/paas/v4",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "alibaba-coding-plan",
        "Alibaba Coding Plan",
        "Alibaba Cloud coding plan (international)",
        "https://coding-intl.dashscope.aliyuncs.com/v1",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "alibaba-coding-plan-cn",
        "Alibaba Coding Plan (China)",
        "Alibaba Cloud coding plan (mainland China)",
        "https://coding.dashscope.aliyuncs.com/v1",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "zai-coding-plan",
        "Z.AI Coding Plan",
        "GLM coding plan (international)",
        "https://api.z.ai/api/coding/paas/v4",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "zhipuai-coding-plan",
        "Zhipu AI Coding Plan",
        "GLM coding plan (mainland China)",
        "https://open.bigmodel.cn/api/coding/paas/v4",
        "openai-compat",
        compatibility="openai",
    ),
    KnownProvider(
        "minimax-coding-plan",
        "MiniMax Coding Plan",
        "MiniMax coding plan (international)",
        "https://api.minimax.io/anthropic",
        "anthropic",
        compatibility="anthropic",
    ),
    KnownProvider(
        "minimax-cn-coding-plan",
        "MiniMax Coding Plan (China)",
        "MiniMax coding plan (mainland China)",
        "https://api.minimaxi.com/anthropic",
        "anthropic",
        compatibility="anthropic",
    ),
    KnownProvider(
        "kimi-for-coding",
        "Kimi for Coding",
        "Moonshot's Kimi coding plan",
        "https://api.kimi.com/coding",
        "anthropic",
        compatibility="anthropic",
    ),
    KnownProvider(
        "deepseek",
        "DeepSeek",
        "DeepSeek chat and reasoning models",
        "https://api.deepseek.com",
        "openai-compat",
        compatibility="openai",
    ),
)

_BY_ID = {p.id: p for p in KNOWN_PROVIDERS}
# Spellings Xagent accepts for the same provider.
_ALIASES = {"anthropic": "claude", "google": "gemini"}
_ADAPTER_TYPE_ALIASES = {"anthropic": "anthropic", "google": "google"}

# Xagent (latest) refuses DeepSeek model names outside its curated list.
DEEPSEEK_MODELS: tuple[str, ...] = ("deepseek-chat", "deepseek-reasoner")


def normalize_provider(value: str) -> str:
    """Lower-cased, with `_` spellings of known ids mapped (`zai_coding_plan` → `zai-coding-plan`)."""
    lowered = value.strip().lower()
    dashed = lowered.replace("_", "-")
    return dashed if dashed in _BY_ID else lowered


def known_provider(model_provider: str) -> KnownProvider | None:
    provider = normalize_provider(model_provider)
    return _BY_ID.get(_ALIASES.get(provider, provider))


def default_base_url(model_provider: str) -> str | None:
    known = known_provider(model_provider)
    return known.default_base_url if known else None


def adapter_type(model_provider: str) -> str:
    """The adapter that calls this provider: Anthropic, Google, or OpenAI-compatible."""
    provider = normalize_provider(model_provider)
    if provider in _ADAPTER_TYPE_ALIASES:
        return _ADAPTER_TYPE_ALIASES[provider]
    known = _BY_ID.get(provider)
    return known.adapter_type if known else "openai-compat"


def call_base_url(model_provider: str, base_url: str) -> str:
    """The URL the adapter calls. Xinference is configured by its server's URL, while its
    OpenAI-compatible API lives under `/v1`."""
    trimmed = base_url.rstrip("/")
    if (
        normalize_provider(model_provider) == "xinference"
        and trimmed
        and not trimmed.endswith("/v1")
    ):
        return trimmed + "/v1"
    return base_url
