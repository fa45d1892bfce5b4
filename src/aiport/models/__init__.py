"""Registered AI models (Xagent's): owner, category, abilities, sharing, and a key source."""
