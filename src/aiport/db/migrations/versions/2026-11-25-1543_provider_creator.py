"""provider creator: who made a provider (Flashback shows it as userId)

Revision ID: 7f65adb4ae45
Revises: 723674628240
Create Date: 2026-11-25 15:43:42.016641
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7f65adb4ae45"
down_revision: str | None = "723674628240"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_providers_created_by_users"),
            "users",
            ["created_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_providers_created_by_users"), type_="foreignkey")
        batch_op.drop_column("created_by")
