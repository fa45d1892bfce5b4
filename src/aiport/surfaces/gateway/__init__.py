"""The gateway's HTTP surface: OpenAI- and Anthropic-compatible routes and Coder's AI gateway."""
