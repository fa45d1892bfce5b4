"""All SQL about providers and their credentials. "Live" means not soft-deleted."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, case, func, select

from aiport.db.repository import SoftDeleteRepository
from aiport.db.tables import AuditEvent, Provider, UsageRecord
from aiport.providers.schemas import ProviderUsage

# Gateway endpoints that generate no LLM tokens of their own.
_NOT_GENERATION = ("embeddings", "models")


class ProviderRepository(SoftDeleteRepository):
    def _live(self, workspace_id: int) -> Select[Provider]:
        return select(Provider).where(Provider.workspace_id == workspace_id, self.live(Provider))

    async def _one(self, query: Select[Provider], *, for_update: bool) -> Provider | None:
        if for_update:
            # PostgreSQL: concurrent writers of one provider queue here, and one that waited
            # for a delete finds nothing. SQLite already serialises writers (BEGIN IMMEDIATE).
            query = query.with_for_update()
        result = await self.session.execute(query)
        return result.scalars().first()

    async def list_live(self, workspace_id: int) -> Sequence[Provider]:
        """Ordered by name, byte-wise on every dialect (names are ASCII slugs)."""
        postgres = self.session.get_bind().dialect.name == "postgresql"
        order = Provider.name.collate("C") if postgres else Provider.name
        result = await self.session.execute(self._live(workspace_id).order_by(order))
        return result.scalars().all()

    async def get_live(
        self, workspace_id: int, provider_id: uuid.UUID, *, for_update: bool = False
    ) -> Provider | None:
        return await self._one(
            self._live(workspace_id).where(Provider.id == provider_id), for_update=for_update
        )

    async def get_live_by_name(
        self, workspace_id: int, name: str, *, for_update: bool = False
    ) -> Provider | None:
        return await self._one(
            self._live(workspace_id).where(Provider.name == name), for_update=for_update
        )

    async def get_any(self, workspace_id: int, provider_id: uuid.UUID) -> Provider | None:
        """Live or soft-deleted, locked (an undo may bring a deleted provider back)."""
        query = select(Provider).where(
            Provider.workspace_id == workspace_id, Provider.id == provider_id
        )
        return await self._one(query, for_update=True)

    async def get_live_by_display_name(
        self, workspace_id: int, display_name: str
    ) -> Provider | None:
        query = (
            self._live(workspace_id)
            .where(Provider.display_name == display_name)
            .order_by(Provider.created_at)
        )
        return await self._one(query, for_update=False)

    async def insert(self, provider: Provider) -> None:
        """Insert a provider and its credentials in a SAVEPOINT.

        Raises IntegrityError when the live-name index refuses it (a concurrent create won);
        the savepoint is rolled back, so the request's transaction stays usable.
        """
        async with self.session.begin_nested():
            self.session.add(provider)
            await self.session.flush()

    async def live_names_like(self, workspace_id: int, base: str) -> set[str]:
        """Live names equal to `base` or `base-<anything>` (slugs hold no LIKE wildcards)."""
        result = await self.session.execute(
            select(Provider.name).where(
                Provider.workspace_id == workspace_id,
                self.live(Provider),
                (Provider.name == base) | Provider.name.like(f"{base}-%"),
            )
        )
        return set(result.scalars().all())

    async def workspace_of_live(self, provider_id: uuid.UUID) -> int | None:
        result = await self.session.execute(
            select(Provider.workspace_id).where(Provider.id == provider_id, self.live(Provider))
        )
        return result.scalar_one_or_none()

    async def usage(self, provider_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ProviderUsage]:
        """Totals of the gateway's usage rows and of the credential checks (audit events)."""
        if not provider_ids:
            return {}
        generation = UsageRecord.endpoint.notin_(_NOT_GENERATION)
        calls = await self.session.execute(
            select(
                UsageRecord.provider_id,
                func.count(),
                func.coalesce(func.sum(UsageRecord.input_tokens), 0),
                func.coalesce(func.sum(UsageRecord.output_tokens), 0),
                func.coalesce(func.sum(case((generation, UsageRecord.input_tokens), else_=0)), 0),
                func.coalesce(func.sum(case((generation, UsageRecord.output_tokens), else_=0)), 0),
            )
            .where(UsageRecord.provider_id.in_(provider_ids))
            .group_by(UsageRecord.provider_id)
        )
        totals = {row[0]: [int(n) for n in row[1:]] for row in calls.all()}
        checks = await self.session.execute(
            select(AuditEvent.target_id, func.count())
            .where(
                AuditEvent.action == "provider.check",
                AuditEvent.target_type == "provider",
                AuditEvent.target_id.in_([str(i) for i in provider_ids]),
            )
            .group_by(AuditEvent.target_id)
        )
        checked = {uuid.UUID(row[0]): int(row[1]) for row in checks.all()}
        usage = {}
        for provider_id in provider_ids:
            count, tokens_in, tokens_out, llm_in, llm_out = totals.get(provider_id, [0] * 5)
            usage[provider_id] = ProviderUsage(
                provider_id=provider_id,
                gateway_calls=count,
                checks=checked.get(provider_id, 0),
                input_tokens=tokens_in,
                output_tokens=tokens_out,
                llm_input_tokens=llm_in,
                llm_output_tokens=llm_out,
            )
        return usage
