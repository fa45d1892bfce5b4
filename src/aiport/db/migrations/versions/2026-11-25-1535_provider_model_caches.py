"""provider model caches

Revision ID: 723674628240
Revises: 2dc5442d1ce8
Create Date: 2026-11-25 15:35:13.958316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aiport.db.types

revision: str = "723674628240"
down_revision: str | None = "2dc5442d1ce8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_model_caches",
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("fetched_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_provider_model_caches_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("provider_id", name=op.f("pk_provider_model_caches")),
    )


def downgrade() -> None:
    op.drop_table("provider_model_caches")
