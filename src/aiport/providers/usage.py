"""What providers were used for, for surfaces that report it (Flashback's stats)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from aiport.providers.repository import ProviderRepository
from aiport.providers.schemas import ProviderRead, ProviderUsage


async def usage_of(session: AsyncSession, providers: Sequence[ProviderRead]) -> list[ProviderUsage]:
    """Totals per provider, in the given order; zeros for one never used.

    Pass providers read through a `ProviderService`, which already applied the caller's access.
    """
    totals = await ProviderRepository(session).usage([p.id for p in providers])
    return [totals[p.id] for p in providers]
