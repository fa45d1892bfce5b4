"""Coder's AI providers API (`/api/v2/ai/providers`), byte-compatible with coderd's."""
