"""Helpers for Coder's providers API: ready-made bodies."""

from __future__ import annotations

from typing import Any

API = "/api/v2/ai/providers"


def openai_body(name: str = "openai-main", **extra: Any) -> dict[str, Any]:
    return {"type": "openai", "name": name, "base_url": "https://api.openai.com/v1"} | extra


def bedrock_body(name: str = "bedrock-prod", **settings: Any) -> dict[str, Any]:
    return {
        "type": "bedrock",
        "name": name,
        "enabled": True,
        "base_url": "https://bedrock-runtime.us-east-1.amazonaws.com",
        "settings": {"_type": "bedrock", "_version": 1, "region": "us-east-1"} | settings,
    }
