"""xagent models: models, model_defaults, credentials.model_id

Revision ID: 2dc5442d1ce8
Revises: 2c2c90c79d61
Create Date: 2026-11-25 15:23:19.592951
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aiport.db.types

revision: str = "2dc5442d1ce8"
down_revision: str | None = "2c2c90c79d61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=255), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("model_provider", sa.String(length=64), nullable=False),
        sa.Column("model_name", sa.String(length=255), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=True),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("dimension", sa.Integer(), nullable=True),
        sa.Column("abilities", sa.JSON(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_models_owner_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_models_provider_id_providers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_models_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
        sa.UniqueConstraint(
            "workspace_id", "model_id", name=op.f("uq_models_workspace_id_model_id")
        ),
    )
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_models_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_models_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "model_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("config_type", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_model_defaults_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_model_defaults_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_model_defaults_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_defaults")),
        sa.UniqueConstraint(
            "workspace_id",
            "user_id",
            "config_type",
            name=op.f("uq_model_defaults_workspace_id_user_id_config_type"),
        ),
    )
    with op.batch_alter_table("model_defaults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_defaults_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_defaults_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("model_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_credentials_model_id"), ["model_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_credentials_model_id_models"),
            "models",
            ["model_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_credentials_model_id_models"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_credentials_model_id"))
        batch_op.drop_column("model_id")

    with op.batch_alter_table("model_defaults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_defaults_user_id"))
        batch_op.drop_index(batch_op.f("ix_model_defaults_model_id"))

    op.drop_table("model_defaults")
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_models_provider_id"))
        batch_op.drop_index(batch_op.f("ix_models_owner_user_id"))

    op.drop_table("models")
