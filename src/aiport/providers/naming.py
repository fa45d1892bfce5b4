"""Slug names made from free text, for surfaces whose providers have only a display name
(Flashback): the slug routes gateway calls, so it is derived once and then kept."""

from __future__ import annotations

import re
import unicodedata

from aiport.providers.repository import ProviderRepository

# Long enough to tell names apart, short enough for a URL path segment.
MAX_SLUG_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str) -> str:
    """Lowercase ASCII words joined by hyphens ("My OpenAI Config" → "my-openai-config");
    `fallback` (itself a slug) when nothing of the text survives."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = _NOT_SLUG.sub("-", folded).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    return slug or fallback


async def unused_name(repository: ProviderRepository, workspace_id: int, base: str) -> str:
    """`base`, or `base-2`, `base-3`, … — the first no live provider of the workspace holds."""
    taken = await repository.live_names_like(workspace_id, base)
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
