"""All SQL about registered models, their own credentials and users' default models."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, delete, func, or_, select

from aiport.db.repository import SoftDeleteRepository
from aiport.db.tables import Credential, Membership, Model, ModelDefault, Provider
from aiport.models.schemas import ModelFilter


def _visible_to(user_id: int) -> ColumnElement[bool]:
    """A caller sees their own models and the models shared with the workspace."""
    return or_(Model.owner_user_id == user_id, Model.is_shared.is_(True))


class ModelRepository(SoftDeleteRepository):
    async def get(self, workspace_id: int, pk: int) -> Model | None:
        result = await self.session.execute(
            select(Model).where(Model.workspace_id == workspace_id, Model.id == pk)
        )
        return result.scalar_one_or_none()

    async def get_any(self, pk: int) -> Model | None:
        """By primary key in any workspace: undo must know whether a key it restores is taken."""
        result = await self.session.execute(select(Model).where(Model.id == pk))
        return result.scalar_one_or_none()

    async def get_by_model_id(self, workspace_id: int, model_id: str) -> Model | None:
        result = await self.session.execute(
            select(Model).where(Model.workspace_id == workspace_id, Model.model_id == model_id)
        )
        return result.scalar_one_or_none()

    async def first_by_model_name(
        self, workspace_id: int, model_name: str, user_id: int
    ) -> Model | None:
        """Several models may share a name: prefer one the caller can see, then the oldest."""
        visible = _visible_to(user_id)
        result = await self.session.execute(
            select(Model)
            .where(Model.workspace_id == workspace_id, Model.model_name == model_name)
            .order_by(visible.desc(), Model.id)
            .limit(1)
        )
        return result.scalar_one_or_none()

    def _visible(self, workspace_id: int, user_id: int) -> Select[Model]:
        return select(Model).where(Model.workspace_id == workspace_id, _visible_to(user_id))

    async def list_visible(
        self, workspace_id: int, user_id: int, query: ModelFilter
    ) -> Sequence[Model]:
        statement = self._visible(workspace_id, user_id)
        if query.category is not None:
            statement = statement.where(Model.category == query.category)
        if query.model_provider is not None:
            statement = statement.where(Model.model_provider == query.model_provider)
        if query.is_active is not None:
            statement = statement.where(Model.is_active.is_(query.is_active))
        result = await self.session.execute(
            statement.order_by(Model.id).offset(query.skip).limit(query.limit)
        )
        return result.scalars().all()

    async def list_active_visible(
        self, workspace_id: int, user_id: int, model_ids: Sequence[str] | None = None
    ) -> Sequence[Model]:
        statement = self._visible(workspace_id, user_id).where(Model.is_active.is_(True))
        if model_ids is not None:
            statement = statement.where(Model.model_id.in_(model_ids))
        result = await self.session.execute(statement.order_by(Model.id))
        return result.scalars().all()

    async def list_shared_active(
        self,
        workspace_id: int,
        *,
        category: str | None = None,
        model_provider: str | None = None,
        limit: int | None = None,
    ) -> Sequence[Model]:
        statement = select(Model).where(
            Model.workspace_id == workspace_id,
            Model.is_shared.is_(True),
            Model.is_active.is_(True),
        )
        if category is not None:
            statement = statement.where(Model.category == category)
        if model_provider is not None:
            statement = statement.where(Model.model_provider == model_provider)
        result = await self.session.execute(statement.order_by(Model.id).limit(limit))
        return result.scalars().all()

    async def delete(self, model: Model) -> None:
        """The model with its own credential and every default that points at it."""
        await self.session.execute(delete(Credential).where(Credential.model_id == model.id))
        await self.session.execute(delete(ModelDefault).where(ModelDefault.model_id == model.id))
        await self.session.delete(model)
        await self.session.flush()

    # Its own credential.

    async def credential_of(self, model_pk: int) -> Credential | None:
        result = await self.session.execute(
            select(Credential).where(Credential.model_id == model_pk).limit(1)
        )
        return result.scalar_one_or_none()

    async def own_credentials(self, model_pk: int) -> Sequence[Credential]:
        result = await self.session.execute(
            select(Credential).where(Credential.model_id == model_pk).order_by(Credential.id)
        )
        return result.scalars().all()

    async def delete_credential(self, credential: Credential) -> None:
        await self.session.delete(credential)
        await self.session.flush()

    async def add_credential(self, credential: Credential) -> Credential:
        self.session.add(credential)
        await self.session.flush()
        return credential

    async def delete_credentials(self, model_pk: int) -> None:
        await self.session.execute(delete(Credential).where(Credential.model_id == model_pk))
        await self.session.flush()

    # The workspace providers a model may draw keys from.

    async def live_provider(self, workspace_id: int, name: str) -> Provider | None:
        result = await self.session.execute(
            select(Provider).where(
                Provider.workspace_id == workspace_id,
                Provider.name == name,
                self.live(Provider),
            )
        )
        return result.scalar_one_or_none()

    async def providers_by_id(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Provider]:
        if not ids:
            return {}
        result = await self.session.execute(select(Provider).where(Provider.id.in_(ids)))
        return {p.id: p for p in result.scalars().all()}

    # Users' default models.

    async def get_default(
        self, workspace_id: int, user_id: int, config_type: str
    ) -> ModelDefault | None:
        result = await self.session.execute(
            select(ModelDefault).where(
                ModelDefault.workspace_id == workspace_id,
                ModelDefault.user_id == user_id,
                ModelDefault.config_type == config_type,
            )
        )
        return result.scalar_one_or_none()

    async def list_defaults(
        self, workspace_id: int, user_ids: Sequence[int]
    ) -> Sequence[tuple[ModelDefault, Model]]:
        """Defaults of these users whose model is active, in user then slot order."""
        result = await self.session.execute(
            select(ModelDefault, Model)
            .join(Model, Model.id == ModelDefault.model_id)
            .where(
                ModelDefault.workspace_id == workspace_id,
                ModelDefault.user_id.in_(user_ids),
                Model.is_active.is_(True),
            )
            .order_by(ModelDefault.user_id, ModelDefault.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def admin_ids(self, workspace_id: int) -> list[int]:
        result = await self.session.execute(
            select(Membership.user_id)
            .where(Membership.workspace_id == workspace_id, Membership.role == "admin")
            .order_by(Membership.user_id)
        )
        return list(result.scalars().all())

    async def add_default(self, row: ModelDefault) -> ModelDefault:
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete_default(self, row: ModelDefault) -> None:
        await self.session.delete(row)
        await self.session.flush()

    async def is_default_of(self, model_pk: int, user_id: int) -> bool:
        result = await self.session.execute(
            select(func.count()).where(
                ModelDefault.model_id == model_pk, ModelDefault.user_id == user_id
            )
        )
        return int(result.scalar_one()) > 0

    async def defaults_pointing_at(
        self, model_pk: int, *, except_user: int | None = None
    ) -> Sequence[ModelDefault]:
        statement = select(ModelDefault).where(ModelDefault.model_id == model_pk)
        if except_user is not None:
            statement = statement.where(ModelDefault.user_id != except_user)
        result = await self.session.execute(statement.order_by(ModelDefault.id))
        return result.scalars().all()

    async def default_id_taken(self, pk: int) -> bool:
        result = await self.session.execute(select(func.count()).where(ModelDefault.id == pk))
        return int(result.scalar_one()) > 0

    async def member_ids(self, workspace_id: int, user_ids: Sequence[int]) -> set[int]:
        """Which of these users are still members of the workspace."""
        if not user_ids:
            return set()
        result = await self.session.execute(
            select(Membership.user_id).where(
                Membership.workspace_id == workspace_id, Membership.user_id.in_(user_ids)
            )
        )
        return set(result.scalars().all())

    async def delete_defaults_of_others(self, model_pk: int, owner_id: int) -> None:
        await self.session.execute(
            delete(ModelDefault).where(
                ModelDefault.model_id == model_pk, ModelDefault.user_id != owner_id
            )
        )
        await self.session.flush()
