"""Translation between wire protocols, hub and spoke: OpenAI's chat format is the hub.

Each upstream protocol has a codec (OpenAI chat request → its request; its response and stream →
OpenAI's); the Anthropic client surface converts Anthropic ⇄ OpenAI around any codec. When the
caller and the provider speak the same protocol nothing is translated: the body passes through.
"""

from aiport.gateway.translate.base import UpstreamCodec
from aiport.gateway.translate.bedrock import BedrockCodec
from aiport.gateway.translate.gemini import GeminiCodec
from aiport.gateway.translate.openai import OpenAICodec
from aiport.gateway.translate.to_anthropic import AnthropicCodec

CODECS: dict[str, UpstreamCodec] = {
    "openai": OpenAICodec(),
    "anthropic": AnthropicCodec(),
    "google": GeminiCodec(),
    "bedrock": BedrockCodec(),
}

__all__ = ["CODECS", "UpstreamCodec"]
