"""actions: undo/redo records of changes made in a client session

Revision ID: 4835fc53095e
Revises: 7f65adb4ae45
Create Date: 2026-11-25 15:47:01.097209
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aiport.db.types

revision: str = "4835fc53095e"
down_revision: str | None = "7f65adb4ae45"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("client_session", sa.String(length=256), nullable=False),
        sa.Column("action_group", sa.Uuid(), nullable=True),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("before_state", sa.Text(), nullable=True),
        sa.Column("before_key_id", sa.String(length=16), nullable=True),
        sa.Column("after_state", sa.Text(), nullable=True),
        sa.Column("after_key_id", sa.String(length=16), nullable=True),
        sa.Column("undone_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_actions_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_actions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actions_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            "ix_actions_user_id_client_session", ["user_id", "client_session"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_actions_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_workspace_id"))
        batch_op.drop_index("ix_actions_user_id_client_session")
        batch_op.drop_index(batch_op.f("ix_actions_updated_at"))

    op.drop_table("actions")
