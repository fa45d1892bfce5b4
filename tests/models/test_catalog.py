"""Xagent's free-text `model_provider`, mapped to an adapter and a default base URL (DESIGN §1)."""

from __future__ import annotations

import pytest

from aiport.adapters import PROVIDER_TYPES
from aiport.models import catalog
from aiport.models.schemas import abilities_problem


@pytest.mark.parametrize(
    ("model_provider", "adapter_type"),
    [
        ("claude", "anthropic"),
        ("anthropic", "anthropic"),
        ("gemini", "google"),
        ("Google", "google"),
        ("openai", "openai"),
        ("dashscope", "openai-compat"),
        ("xinference", "openai-compat"),
        ("deepseek", "openai-compat"),
        ("some-new-vendor", "openai-compat"),
        # Their default URLs are Anthropic-compatible endpoints.
        ("minimax-coding-plan", "anthropic"),
        ("kimi-for-coding", "anthropic"),
    ],
)
def test_model_provider_maps_to_an_adapter(model_provider: str, adapter_type: str) -> None:
    assert catalog.adapter_type(model_provider) == adapter_type
    assert adapter_type in PROVIDER_TYPES


def test_every_known_provider_maps_to_a_real_adapter_type() -> None:
    for known in catalog.KNOWN_PROVIDERS:
        assert known.adapter_type in PROVIDER_TYPES


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("OpenAI", "openai"),
        ("zai_coding_plan", "zai-coding-plan"),
        ("  Kimi_For_Coding ", "kimi-for-coding"),
        ("my_server", "my_server"),
    ],
)
def test_model_provider_is_normalized(value: str, normalized: str) -> None:
    assert catalog.normalize_provider(value) == normalized


@pytest.mark.parametrize(
    ("base_url", "called"),
    [
        ("http://host:9997", "http://host:9997/v1"),
        ("http://host:9997/", "http://host:9997/v1"),
        ("http://host:9997/v1", "http://host:9997/v1"),
    ],
)
def test_xinference_is_called_under_v1(base_url: str, called: str) -> None:
    assert catalog.call_base_url("xinference", base_url) == called
    assert catalog.call_base_url("openai", base_url) == base_url


def test_ability_messages_read_like_xagents() -> None:
    assert abilities_problem("embedding", []) == "Embedding model must have at least one ability"
    assert abilities_problem("image", ["edit", "chat", "vision"]) == (
        "Invalid abilities for image model: {'chat', 'vision'}. "
        "Valid abilities are: {'edit', 'generate'}"
    )
    assert abilities_problem("llm", ["anything"]) is None
    assert abilities_problem("embedding", None) is None
    assert abilities_problem("foo", ["x"]) is None
